/** Words for the convergence evaluation (model/convergence.ts), shared by the console and the CLI. */
import type { Evaluation, Trend } from '../model/convergence.js';
import { formatAge } from '../model/freshness.js';
import { formatRate } from './format.js';

/** Seconds behind: `0s`, `12s`, `2m05s`; `-` when unknown. */
export function formatBehind(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '-';
  return formatAge(Math.round(seconds) * 1000);
}

const ARROWS: Record<Trend, { unicode: string; ascii: string }> = {
  'caught-up': { unicode: '✓', ascii: '+' },
  draining: { unicode: '↓', ascii: 'v' },
  steady: { unicode: '→', ascii: '=' },
  growing: { unicode: '↑', ascii: '^' },
};

/** `↓ 340/s ~40s`, `↑ 12/s`, `→ steady`, `✓ caught up`; `-` when unknown. */
export function formatTrend(
  e: Pick<Evaluation, 'trend' | 'ratePerSecond' | 'etaSeconds'>,
  ascii = false,
): string {
  if (e.trend === null) return '-';
  const arrow = ascii ? ARROWS[e.trend].ascii : ARROWS[e.trend].unicode;
  if (e.trend === 'caught-up') return `${arrow} caught up`;
  if (e.trend === 'steady') return `${arrow} steady`;
  const rate = formatRate(Math.abs(e.ratePerSecond ?? 0));
  return e.trend === 'draining' && e.etaSeconds !== null
    ? `${arrow} ${rate} ~${formatBehind(e.etaSeconds)}`
    : `${arrow} ${rate}`;
}

/** The Mirror pane's line: `target 12s behind, draining 340/s, caught up in ~40s`. */
export function convergenceLine(
  e: Pick<Evaluation, 'lag' | 'lagSeconds' | 'trend' | 'ratePerSecond' | 'etaSeconds'>,
): string {
  if (e.lag === null) return 'MM2 lag unknown';
  const behind = e.lagSeconds === null ? 'target ? behind' : `target ${formatBehind(e.lagSeconds)} behind`;
  switch (e.trend) {
    case 'caught-up':
      return e.lag === 0 ? 'target caught up (MM2 lag 0)' : `${behind}, caught up (lag ${e.lag})`;
    case 'draining':
      return `${behind}, draining ${formatRate(Math.abs(e.ratePerSecond ?? 0))}${e.etaSeconds !== null ? `, caught up in ~${formatBehind(e.etaSeconds)}` : ''}`;
    case 'growing':
      return `${behind}, falling behind ${formatRate(e.ratePerSecond ?? 0)}`;
    case 'steady':
      return `${behind}, lag steady`;
    default:
      return `${behind}, trend unknown (one reading: sample with --evaluate)`;
  }
}
