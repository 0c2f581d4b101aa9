/**
 * The runbook's time signals from the poller's offset history: when each mirrored source topic was
 * last written, how far behind MM2 is, and how each target group evaluates. Pure.
 */
import type { Snapshot } from '../monitor/snapshot.js';
import { type ConvergenceStatus, evaluateConvergence } from './convergence.js';
import { splitKey } from './offset-history.js';
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

export function runbookSignals(s: Snapshot, inputs: SignalInputs): RunbookSignals {
  const { nowMs } = inputs;
  const history = s.offsetHistory ?? null;
  const mirrored = new Set(s.mirror.topics.map((t) => t.source));
  let watchedSinceMs: number | null = null;
  const lastWriteMs = new Map<string, number>();
  for (const [key, samples] of history?.logEnds ?? []) {
    const [cluster, topic] = splitKey(key) as [string, string];
    if (cluster !== 'source' || !mirrored.has(topic)) continue;
    const first = samples[0];
    if (first && (watchedSinceMs === null || first.atMs < watchedSinceMs)) watchedSinceMs = first.atMs;
    for (let i = 1; i < samples.length; i++) {
      // The write happened between the two reads: the later one is the safe side for "quiet since".
      const sample = samples[i]!;
      if (sample.offset !== samples[i - 1]!.offset)
        lastWriteMs.set(topic, Math.max(lastWriteMs.get(topic) ?? 0, sample.atMs));
    }
  }
  for (const [topic, atMs] of inputs.newestWrites ?? []) {
    if (!mirrored.has(topic) || lastWriteMs.has(topic)) continue;
    // Not seen moving while watched: written before the watch began, whatever the producer's clock says.
    lastWriteMs.set(topic, watchedSinceMs === null ? atMs : Math.min(atMs, watchedSinceMs));
  }
  // Evaluated at the snapshot's time, with the record timestamps the poller read where it has them.
  const convergence = evaluateConvergence(s);
  const targetGroupStatus = new Map<string, ConvergenceStatus>();
  for (const g of convergence.groups)
    if (g.cluster === 'target' && g.status !== null) targetGroupStatus.set(g.group, g.status);
  return {
    nowMs,
    watchedSinceMs,
    lastWriteMs,
    mm2BehindSeconds: convergence.mirror.lagSeconds,
    targetGroupStatus,
    configDrift: inputs.configDrift,
  };
}
