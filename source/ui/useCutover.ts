/** The runbook the console shows: the newest snapshot with the wire reads it needs, refreshed on a slow cadence. */
import { useEffect, useMemo, useState } from 'react';
import type { ConsoleActions, CutoverReads } from '../actions/types.js';
import { type Runbook, type RunbookOptions, runbook } from '../model/runbook.js';
import { runbookSignals } from '../model/runbook-signals.js';
import type { Snapshot } from '../monitor/snapshot.js';
import { escapeForTerminal } from '../util/escape.js';
import { convergenceOf } from './panes/convergence-model.js';
import type { Log } from './useCheck.js';

/** Topic configs and the newest writes change rarely: read them this often (two DescribeConfigs, a few Fetches). */
export const CUTOVER_READ_INTERVAL_MS = 30_000;

/**
 * `shown`: whether a pane shows the runbook now. Its reads run once at the first snapshot, then on
 * their cadence from the first time a pane shows the runbook (at once, then every 30 s): at 50 topics
 * of 100 partitions they fetch the tail of 5,000 partitions (12 MB of records) each time, which a
 * console that never opens the runbook should not pay for. The first read is not stale where it
 * matters: a topic not seen moving since the watch began was last written before it.
 */
export function useCutover(
  actions: ConsoleActions,
  snapshot: Snapshot | null,
  options: RunbookOptions,
  log: Log,
  shown: boolean,
): () => Runbook | null {
  const reads = useCutoverReads(actions, snapshot !== null, log, shown);
  // Evaluated when asked (the Cutover pane, S), once per snapshot: at 100,000 partitions the runbook
  // evaluates every target group, which the other panes need not wait for.
  return useMemo(() => {
    let book: Runbook | null | undefined;
    return () => {
      if (book === undefined) {
        book = snapshot
          ? runbook(
              snapshot,
              runbookSignals(
                snapshot,
                {
                  nowMs: snapshot.takenAtMs,
                  configDrift: reads?.configDrift ?? null,
                  ...(reads ? { newestWrites: reads.newestWrites } : {}),
                },
                convergenceOf(snapshot),
              ),
              options,
            )
          : null;
      }
      return book;
    };
  }, [snapshot, reads, options]);
}

/**
 * The runbook's wire reads, on their cadence. A hook of its own so that its effect's cleanup, which lives
 * as long as the effect, closes over no snapshot: V8 keeps a function scope's captured variables in one
 * context shared by all its closures, and a cleanup created in useCutover kept the first snapshot (and
 * every group and partition it held) for the whole session.
 */
function useCutoverReads(
  actions: ConsoleActions,
  haveSnapshot: boolean,
  log: Log,
  shown: boolean,
): CutoverReads | null {
  const [reads, setReads] = useState<CutoverReads | null>(null);
  const [wanted, setWanted] = useState(shown);
  if (shown && !wanted) setWanted(true);
  useEffect(() => {
    if (!haveSnapshot) return;
    let live = true;
    const read = () => {
      actions.cutoverReads().then(
        (r) => {
          if (live) setReads(r);
        },
        (error: unknown) => {
          if (!live) return;
          setReads(null);
          log(
            'warn',
            `cutover: topic configs not compared: ${escapeForTerminal(String((error as Error)?.message ?? error))}`,
          );
        },
      );
    };
    read();
    const timer = wanted ? setInterval(read, CUTOVER_READ_INTERVAL_MS) : undefined;
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [actions, haveSnapshot, wanted, log]);
  return reads;
}
