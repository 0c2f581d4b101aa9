/** States as text + symbol + tone: readable with colour off and in ASCII. */
import type { FreshnessLevel } from '../model/freshness.js';
import { formatAge, SLOW_SOURCE_MS } from '../model/freshness.js';
import type { DataSourceHealth, MirrorState } from '../monitor/snapshot.js';
import { escapeForTerminal } from '../util/escape.js';
import type { Glyphs } from './glyphs.js';
import type { Tone } from './theme.js';

export interface Label {
  text: string;
  tone: Tone;
}

export function mirrorStateLabel(state: MirrorState, g: Glyphs): Label {
  switch (state) {
    case 'missing':
      return { text: `${g.missing} missing`, tone: 'crit' };
    case 'partition-mismatch':
      return { text: `${g.mismatch} mismatch`, tone: 'crit' };
    case 'mirroring':
      return { text: `${g.mirroring} mirroring`, tone: 'warn' };
    case 'in-sync':
      return { text: `${g.ok} in sync`, tone: 'ok' };
    case 'not-mirrored':
      return { text: `${g.notMirrored} not mirrored`, tone: 'muted' };
    default:
      return { text: `${g.unknown} unknown`, tone: 'muted' };
  }
}

/** `✓ ok`, `! warn`, `✗ crit`, `? unknown`. */
export function freshnessLabel(level: FreshnessLevel, g: Glyphs): Label {
  const symbol = freshnessSymbol(level, g);
  return { text: `${symbol.text} ${level}`, tone: symbol.tone };
}

export function freshnessSymbol(level: FreshnessLevel, g: Glyphs): Label {
  switch (level) {
    case 'ok':
      return { text: g.ok, tone: 'ok' };
    case 'warn':
      return { text: g.warn, tone: 'warn' };
    case 'crit':
      return { text: g.crit, tone: 'crit' };
    default:
      return { text: g.unknown, tone: 'muted' };
  }
}

/** Connect states (RUNNING, FAILED...) as they are, with the symbol of their severity. */
export function connectStateLabel(state: string, g: Glyphs): Label {
  const s = escapeForTerminal(state.toUpperCase());
  if (s === 'RUNNING') return { text: `${g.ok} ${s}`, tone: 'ok' };
  if (s === 'FAILED' || s === 'UNASSIGNED' || s === 'DESTROYED')
    return { text: `${g.crit} ${s}`, tone: 'crit' };
  return { text: `${g.warn} ${s}`, tone: 'warn' };
}

export interface HealthLabel extends Label {
  /** The last error, escaped, when the source is failing. */
  error: string | null;
}

/** `✓ reachable`, `STALE 12s` since the last success, `✗ unreachable` when it never worked. */
export function healthLabel(h: DataSourceHealth, nowMs: number, g: Glyphs): HealthLabel {
  const error = h.lastError === null ? null : escapeForTerminal(h.lastError);
  if (!h.configured) return { text: '- not configured', tone: 'muted', error: null };
  if (h.ok) return { text: `${g.ok} reachable`, tone: 'ok', error: null };
  if (h.lastSuccessMs === null) return { text: `${g.crit} unreachable`, tone: 'crit', error };
  return { text: `STALE ${formatAge(nowMs - h.lastSuccessMs)}`, tone: 'crit', error };
}

/** `7.4s` */
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/**
 * Short form for the secondary data sources in the header: `✓`, `✓ slow 7.4s` (answers, slowly),
 * `waiting` (first answer pending), `STALE 40s`, `✗`, `-`; `✗ timeout 15s` / `STALE 40s timeout 15s`
 * when the source is there but its last answer did not finish in time.
 */
export function healthMark(h: DataSourceHealth, nowMs: number, g: Glyphs): Label {
  if (!h.configured) return { text: '-', tone: 'muted' };
  if (h.ok && h.durationMs !== null && h.durationMs >= SLOW_SOURCE_MS)
    return { text: `${g.ok} slow ${seconds(h.durationMs)}`, tone: 'warn' };
  if (h.ok) return { text: g.ok, tone: 'ok' };
  if (h.lastSuccessMs === null && h.lastError === null) return { text: 'waiting', tone: 'muted' };
  const timeout = h.timedOut && h.durationMs !== null ? ` timeout ${Math.round(h.durationMs / 1000)}s` : '';
  if (h.lastSuccessMs === null) return { text: `${g.crit}${timeout}`, tone: 'crit' };
  return { text: `STALE ${formatAge(nowMs - h.lastSuccessMs)}${timeout}`, tone: 'crit' };
}
