/** Number, time and rate formatting for cells; every function returns `-` for unknown values. */
import { formatAge } from '../model/freshness.js';
import { displayWidth } from '../util/escape.js';

/**
 * 20000 → `20,000`: what `Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })` prints (halves away
 * from zero, `-0` kept), without it. The console's one ICU number formatter paged 5.8 MB of ICU's locale
 * data into the process (README, Design notes: "The console's memory outside V8's heap").
 */
export function formatCount(n: number | null | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '-';
  const whole = Math.round(Math.abs(n));
  const digits = whole < 1e21 ? String(whole) : shortestDigits(whole);
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return n < 0 || Object.is(n, -0) ? `-${grouped}` : grouped;
}

/** 1e21 and above: the shortest digits that read back as the number, then zeros, as Intl prints them. */
function shortestDigits(whole: number): string {
  const [mantissa = '', exponent = '0'] = String(whole).split('e+');
  return mantissa.replace('.', '').padEnd(Number(exponent) + 1, '0');
}

/** 1234567 → `1.2M`: for cells too narrow for the exact number. */
export function formatCompact(n: number | null | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '-';
  const abs = Math.abs(n);
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const v = n / size;
      return `${Math.abs(v) >= 100 ? Math.trunc(v) : v.toFixed(1)}${unit}`;
    }
  }
  return String(Math.trunc(n));
}

/** The exact count when it fits `width`, the compact form otherwise (never a cut number). */
export function fitCount(n: number | null | undefined, width: number): string {
  const exact = formatCount(n);
  return displayWidth(exact) <= width ? exact : formatCompact(n);
}

/** Milliseconds as `350ms` below a second, `4s`, `2m05s` above. */
export function formatDuration(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '-';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)}ms`;
  return formatAge(ms);
}

/** Records per second: `35/s`, `1.2k/s`, `0.5/s`. */
export function formatRate(perSecond: number | null | undefined): string {
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond)) return '-';
  if (Math.abs(perSecond) < 10 && perSecond !== Math.trunc(perSecond)) return `${perSecond.toFixed(1)}/s`;
  return `${formatCompact(perSecond)}/s`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local wall-clock time `HH:MM:SS`. */
export function formatClock(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Local `HH:MM:SS.mmm`, for record timestamps. */
export function formatClockMs(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '-';
  return `${formatClock(ms)}.${String(new Date(ms).getMilliseconds()).padStart(3, '0')}`;
}

/** Interval as `every 5s`. */
export function formatInterval(ms: number): string {
  return `every ${formatDuration(ms)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
