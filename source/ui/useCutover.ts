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

export function useCutover(
  actions: ConsoleActions,
  snapshot: Snapshot | null,
  options: RunbookOptions,
  log: Log,
): () => Runbook | null {
  const [reads, setReads] = useState<CutoverReads | null>(null);
  const haveSnapshot = snapshot !== null;
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
    const timer = setInterval(read, CUTOVER_READ_INTERVAL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [actions, haveSnapshot, log]);
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
