/**
 * Rates from short histories of cumulative counters (record-count, offsets, bytes), and sparklines.
 *
 * Counter resets (a restarted MM2 task starts record-count again from 0) follow Prometheus' rate():
 * when a sample is lower than the one before, the counter is taken to have restarted from 0, so the
 * increase over that interval is the new value itself.
 */

export interface CounterSample {
  tsMs: number;
  value: number;
}

function usable(samples: readonly CounterSample[]): CounterSample[] {
  const out = samples.filter((s) => Number.isFinite(s.tsMs) && Number.isFinite(s.value));
  // stable sort; inputs are normally already in order
  out.sort((a, b) => a.tsMs - b.tsMs);
  return out;
}

function increase(prev: number, next: number): number {
  return next >= prev ? next - prev : next;
}

/** Total increase of the counter over the samples, resets handled; null with fewer than 2 samples. */
export function counterIncrease(samples: readonly CounterSample[]): number | null {
  const s = usable(samples);
  if (s.length < 2) return null;
  let total = 0;
  for (let i = 1; i < s.length; i++) total += increase(s[i - 1]!.value, s[i]!.value);
  return total;
}

/**
 * Per-second rate over the samples (optionally only the last `windowMs` before the newest sample);
 * null when fewer than two usable samples or no time elapsed.
 */
export function rate(samples: readonly CounterSample[], windowMs?: number): number | null {
  let s = usable(samples);
  if (windowMs !== undefined && s.length > 0) {
    const from = s[s.length - 1]!.tsMs - windowMs;
    s = s.filter((x) => x.tsMs >= from);
  }
  if (s.length < 2) return null;
  const elapsed = s[s.length - 1]!.tsMs - s[0]!.tsMs;
  if (elapsed <= 0) return null;
  return (counterIncrease(s) as number) / (elapsed / 1000);
}

/** Per-second rate of each consecutive pair of samples (length n − 1), for sparklines. */
export function intervalRates(samples: readonly CounterSample[]): (number | null)[] {
  const s = usable(samples);
  const out: (number | null)[] = [];
  for (let i = 1; i < s.length; i++) {
    const dt = s[i]!.tsMs - s[i - 1]!.tsMs;
    out.push(dt > 0 ? increase(s[i - 1]!.value, s[i]!.value) / (dt / 1000) : null);
  }
  return out;
}

export interface CounterHistoryOptions {
  /** Samples kept (default 120). */
  maxSamples?: number;
  /** Samples older than this before the newest are dropped (default: keep by count only). */
  maxAgeMs?: number;
}

/** A bounded history of one counter. push() in time order; an out-of-order sample is ignored. */
export class CounterHistory {
  private readonly items: CounterSample[] = [];
  private readonly maxSamples: number;
  private readonly maxAgeMs: number | undefined;

  constructor(options: CounterHistoryOptions = {}) {
    this.maxSamples = Math.max(2, options.maxSamples ?? 120);
    this.maxAgeMs = options.maxAgeMs;
  }

  push(tsMs: number, value: number): void {
    if (!Number.isFinite(tsMs) || !Number.isFinite(value)) return;
    const last = this.items[this.items.length - 1];
    if (last && tsMs < last.tsMs) return;
    if (last && tsMs === last.tsMs) this.items[this.items.length - 1] = { tsMs, value };
    else this.items.push({ tsMs, value });
    while (this.items.length > this.maxSamples) this.items.shift();
    if (this.maxAgeMs !== undefined) {
      const from = tsMs - this.maxAgeMs;
      while (this.items.length > 0 && this.items[0]!.tsMs < from) this.items.shift();
    }
  }

  samples(): readonly CounterSample[] {
    return this.items;
  }

  rate(windowMs?: number): number | null {
    return rate(this.items, windowMs);
  }

  intervalRates(): (number | null)[] {
    return intervalRates(this.items);
  }
}

const BLOCKS = '▁▂▃▄▅▆▇█';
const ASCII_LEVELS = '_.-:=+*#';

export interface SparklineOptions {
  /** Use ASCII characters instead of block elements (terminals without Unicode). */
  ascii?: boolean;
  /** Bottom of the scale; default min(0, smallest value). */
  min?: number;
  /** Top of the scale; default the largest value. */
  max?: number;
}

/**
 * Sparkline of the last `width` values, exactly `width` characters wide (left-padded with spaces when
 * there are fewer values). Missing/NaN values are blanks. The scale starts at 0 unless values are
 * negative, so a steady rate shows as a steady high bar rather than noise.
 */
export function sparkline(
  values: readonly (number | null | undefined)[],
  width: number,
  options: SparklineOptions = {},
): string {
  const w = Math.max(0, Math.floor(width));
  if (w === 0) return '';
  const levels = options.ascii ? ASCII_LEVELS : BLOCKS;
  const shown = values.slice(-w);
  const finite = shown.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const lo = options.min ?? Math.min(0, ...finite);
  const hi = options.max ?? (finite.length > 0 ? Math.max(...finite) : lo);
  const top = levels.length - 1;
  let out = ' '.repeat(w - shown.length);
  for (const v of shown) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      out += ' ';
      continue;
    }
    const level = hi > lo ? Math.round(((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * top) : 0;
    out += levels[level];
  }
  return out;
}
