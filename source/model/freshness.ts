/**
 * Freshness of timestamped signals (MM2 heartbeats, checkpoints, metrics scrapes).
 */

export type FreshnessLevel = 'ok' | 'warn' | 'crit' | 'unknown';

export interface FreshnessThresholds {
  warnMs: number;
  critMs: number;
}

/**
 * Heartbeat thresholds. MirrorHeartbeatConnector emits one heartbeat per
 * `emit.heartbeats.interval.seconds` (default 1 s), and the record reaches the other side through
 * MirrorSourceConnector like any data. 10 s without a newer heartbeat is ten missed beats — beyond
 * batching, a rebalance blip or a slow commit: warn. 30 s means the flow is stalled: critical.
 */
export const HEARTBEAT_THRESHOLDS: Readonly<FreshnessThresholds> = Object.freeze({
  warnMs: 10_000,
  critMs: 30_000,
});

/**
 * now − ts in ms; null when the timestamp is unknown. May be negative when the producing host's clock
 * is ahead of ours (kept, so the console can show the skew instead of hiding it).
 */
export function ageMs(nowMs: number, tsMs: number | null | undefined): number | null {
  if (typeof tsMs !== 'number' || !Number.isFinite(tsMs) || !Number.isFinite(nowMs)) return null;
  return nowMs - tsMs;
}

/** ok below warn, warn from warnMs, crit from critMs; unknown for a missing age. Negative ages are ok. */
export function freshnessLevel(
  age: number | null | undefined,
  thresholds: FreshnessThresholds = HEARTBEAT_THRESHOLDS,
): FreshnessLevel {
  if (typeof age !== 'number' || Number.isNaN(age)) return 'unknown';
  if (age >= thresholds.critMs) return 'crit';
  if (age >= thresholds.warnMs) return 'warn';
  return 'ok';
}

/**
 * Compact age: `4s`, `2m05s`, `3h12m`, `2d03h`; `-` when unknown. Truncates (never rounds up into a
 * later bucket). Sub-second ages are `0s`, never `-0s`; a negative age of a second or more (clock skew)
 * is prefixed with `-`.
 */
export function formatAge(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '-';
  const s = Math.floor(Math.abs(ms) / 1000);
  const sign = ms < 0 && s > 0 ? '-' : '';
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${sign}${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${sign}${m}m${pad(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${sign}${h}h${pad(m % 60)}m`;
  return `${sign}${Math.floor(h / 24)}d${pad(h % 24)}h`;
}

/** A data source that answers but takes at least this long is shown as slow, with its time. */
export const SLOW_SOURCE_MS = 2000;
