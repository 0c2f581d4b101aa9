/**
 * The runbook's time signals from the poller's offset history: when each mirrored source topic was
 * last written, how far behind MM2 is, and how each target group evaluates. Pure.
 */
import type { Snapshot } from '../monitor/snapshot.js';
import { type ConvergenceIndex, type ConvergenceStatus, convergenceIndex } from './convergence.js';
import type { ConfigDrift, RunbookSignals } from './runbook.js';

export interface SignalInputs {
  nowMs: number;
  configDrift: readonly ConfigDrift[] | null;
  /**
   * Newest record timestamp per source topic (read at the log ends), for topics the history did not
   * see move: it says how long they have been quiet before the watch began.
   */
  newestWrites?: ReadonlyMap<string, number>;
}

export function runbookSignals(
  s: Snapshot,
  inputs: SignalInputs,
  convergence: ConvergenceIndex = convergenceIndex(s),
): RunbookSignals {
  const { nowMs } = inputs;
  const history = s.offsetHistory ?? null;
  const mirrored = new Set(s.mirror.topics.map((t) => t.source));
  let watchedSinceMs: number | null = null;
  const lastWriteMs = new Map<string, number>();
  const source = history?.clusters.source;
  for (const [topic, rows] of source?.rows.logEnds ?? []) {
    if (!mirrored.has(topic)) continue;
    rows.forEach((row) => {
      let previous = Number.NaN;
      for (const c of source?.columns ?? []) {
        const offset = c.logEnd.get(row);
        if (Number.isNaN(offset)) continue;
        if (Number.isNaN(previous)) {
          if (watchedSinceMs === null || c.atMs < watchedSinceMs) watchedSinceMs = c.atMs;
        } else if (offset !== previous) {
          // The write happened between the two reads: the later one is the safe side for "quiet since".
          lastWriteMs.set(topic, Math.max(lastWriteMs.get(topic) ?? 0, c.atMs));
        }
        previous = offset;
      }
    });
  }
  for (const [topic, atMs] of inputs.newestWrites ?? []) {
    if (!mirrored.has(topic) || lastWriteMs.has(topic)) continue;
    // Not seen moving while watched: written before the watch began, whatever the producer's clock says.
    lastWriteMs.set(topic, watchedSinceMs === null ? atMs : Math.min(atMs, watchedSinceMs));
  }
  // Evaluated at the snapshot's time, with the record timestamps the poller read where it has them.
  const targetGroupStatus = new Map<string, ConvergenceStatus>();
  for (const group of convergence.groupNames('target')) {
    const status = convergence.group('target', group)?.status ?? null;
    if (status !== null) targetGroupStatus.set(group, status);
  }
  return {
    nowMs,
    watchedSinceMs,
    lastWriteMs,
    mm2BehindSeconds: convergence.mirror().lagSeconds,
    targetGroupStatus,
    configDrift: inputs.configDrift,
  };
}
