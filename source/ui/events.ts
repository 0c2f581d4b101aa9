/** The event log: operator actions and their results, and data sources failing and recovering. */
import { formatAge } from '../model/freshness.js';
import { NAMED_IN_FULL, namedFew, topicsByReason } from '../model/verdict.js';
import type { DataSourceName, Snapshot } from '../monitor/snapshot.js';
import { escapeForTerminal } from '../util/escape.js';

export type EventLevel = 'info' | 'ok' | 'warn' | 'error';

export interface ConsoleEvent {
  seq: number;
  atMs: number;
  level: EventLevel;
  /** Already escaped. */
  text: string;
}

export interface NewEvent {
  level: EventLevel;
  text: string;
}

export const MAX_EVENTS = 1000;

export const DATA_SOURCES: readonly DataSourceName[] = [
  'source',
  'target',
  'mm2-internal',
  'metrics',
  'connect',
];

/**
 * What changed in the data sources' health between two snapshots: a source that starts failing, fails
 * with a different error, or recovers. `previous` null (first snapshot) reports the sources failing now.
 */
export function healthEvents(
  previous: Snapshot['health'] | null,
  next: Snapshot['health'],
  nowMs: number,
): NewEvent[] {
  const out: NewEvent[] = [];
  for (const name of DATA_SOURCES) {
    const now = next[name];
    const before = previous?.[name];
    if (!now?.configured) continue;
    const label = escapeForTerminal(now.label);
    const wasFailing = before?.configured === true && !before.ok;
    if (!now.ok) {
      if (!wasFailing || before?.lastError !== now.lastError) {
        out.push({ level: 'error', text: `${label}: ${escapeForTerminal(now.lastError ?? 'failed')}` });
      }
    } else if (wasFailing) {
      const since = before?.lastSuccessMs ?? null;
      const stale = since === null ? '' : ` (stale for ${formatAge(nowMs - since)})`;
      out.push({ level: 'ok', text: `${label}: recovered${stale}` });
    }
  }
  return out;
}

/**
 * Missing topics the target newly refuses (or refuses for another reason) since the last snapshot: why
 * MM2 has not created them, which otherwise only its Connect log says.
 */
export function refusalEvents(
  previous: ReadonlyMap<string, string> | undefined,
  next: ReadonlyMap<string, string> | undefined,
): NewEvent[] {
  const fresh: Array<[string, string]> = [];
  for (const [topic, reason] of next ?? []) if (previous?.get(topic) !== reason) fresh.push([topic, reason]);
  if (fresh.length <= NAMED_IN_FULL)
    return fresh.map(([topic, reason]) => ({
      level: 'warn',
      text: `topic ${escapeForTerminal(topic)} is missing: the target refuses to create it: ${escapeForTerminal(reason)}`,
    }));
  // Thousands at once (a dynamic broker config the target refuses): one line per reason, or they would
  // push every other event out of the log.
  const reasons = topicsByReason(fresh);
  const out: NewEvent[] = reasons.slice(0, REASONS_LOGGED).map(([reason, topics]) => ({
    level: 'warn',
    text: `${topics.length} topics are missing: the target refuses to create them: ${escapeForTerminal(reason)} (${namedFew(topics.map(escapeForTerminal))})`,
  }));
  const others = reasons.slice(REASONS_LOGGED);
  if (others.length > 0)
    out.push({
      level: 'warn',
      text: `${others.reduce((n, [, topics]) => n + topics.length, 0)} more topics are missing, refused by the target for ${others.length} other reasons (Enter on each in the Topics pane)`,
    });
  return out;
}

/** Past NAMED_IN_FULL new refusals at once, the most common reasons get a line each, the others one line together. */
const REASONS_LOGGED = 5;

export function appendEvents(
  log: readonly ConsoleEvent[],
  added: readonly NewEvent[],
  atMs: number,
): ConsoleEvent[] {
  if (added.length === 0) return log as ConsoleEvent[];
  let seq = log.length > 0 ? log[log.length - 1]!.seq : 0;
  const next = [...log, ...added.map((e) => ({ ...e, atMs, seq: ++seq }))];
  return next.length > MAX_EVENTS ? next.slice(next.length - MAX_EVENTS) : next;
}
