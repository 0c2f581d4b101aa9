/** The consumer check the console runs: its newest progress, throttled redraws, the result logged. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PartitionComparison } from '../actions/compare.js';
import type { CheckHandle, CheckProgress, ConsoleActions } from '../actions/types.js';
import type { ClusterRole } from '../monitor/snapshot.js';
import { escapeForTerminal } from '../util/escape.js';
import type { EventLevel } from './events.js';
import { formatCount } from './format.js';

export interface CheckState {
  progress: CheckProgress | null;
  running: boolean;
}

export type Log = (level: EventLevel, text: string, show?: boolean) => void;

/** A fast topic reports progress per batch: the newest is drawn at most this often. */
const REDRAW_MS = 100;

/** Finished once read and compared (the comparison may wait for MM2 to copy the range). */
function finished(p: CheckProgress): boolean {
  return p.stopped || p.error !== null || (p.done && p.comparison?.running !== true);
}

export function checkResult(p: CheckProgress): { level: EventLevel; text: string } {
  const what = `check ${p.cluster} ${escapeForTerminal(p.topic)}`;
  const counted = `${formatCount(p.total)}/${formatCount(p.expected)} read`;
  if (p.error)
    return { level: 'error', text: `${what}: failed after ${counted}: ${escapeForTerminal(p.error)}` };
  if (p.stopped) return { level: 'warn', text: `${what}: stopped after ${counted}` };
  const c = p.comparison;
  if (!c) return { level: 'ok', text: `${what}: done, ${counted}` };
  if (c.error)
    return { level: 'error', text: `${what}: ${counted}; comparison failed: ${escapeForTerminal(c.error)}` };
  const sum = (f: (p: PartitionComparison) => number) => c.partitions.reduce((n, p) => n + f(p), 0);
  const other = `${c.cluster} ${escapeForTerminal(c.topic)}`;
  if (c.equal)
    return {
      level: 'ok',
      text: `${what}: ${counted}; equal record by record with ${other} (${formatCount(sum((p) => p.sourceRecords))} source records)`,
    };
  const note = c.note ? `; ${escapeForTerminal(c.note)}` : '';
  return {
    level: 'error',
    text: `${what}: ${counted}; NOT equal to ${other}: ${formatCount(sum((p) => p.missing))} missing, ${formatCount(sum((p) => p.extra))} extra, ${formatCount(sum((p) => p.different))} different${note}`,
  };
}

function errorText(error: unknown): string {
  return escapeForTerminal(error instanceof Error ? error.message : String(error));
}

export function useCheck(actions: ConsoleActions, log: Log) {
  const [state, setState] = useState<CheckState>({ progress: null, running: false });
  const handle = useRef<CheckHandle | null>(null);
  // progress of a check replaced by a newer one is ignored
  const current = useRef(0);
  const mounted = useRef(true);

  const stop = useCallback(() => {
    handle.current?.stop();
    handle.current = null;
  }, []);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      stop();
    };
  }, [stop]);

  const start = useCallback(
    (cluster: ClusterRole, topic: string) => {
      stop();
      const id = ++current.current;
      setState({ progress: null, running: true });
      const what = `check ${cluster} ${escapeForTerminal(topic)}`;
      let reported = false;
      let latest: CheckProgress | null = null;
      let timer: NodeJS.Timeout | null = null;
      let shownAtMs = 0;
      const show = () => {
        timer = null;
        shownAtMs = Date.now();
        if (!mounted.current || id !== current.current || latest === null) return;
        const done = finished(latest);
        setState({ progress: latest, running: !done });
        if (done && !reported) {
          reported = true;
          const result = checkResult(latest);
          log(result.level, result.text, true);
        }
      };
      const onProgress = (progress: CheckProgress) => {
        latest = progress;
        if (finished(progress)) {
          if (timer !== null) clearTimeout(timer);
          show();
        } else if (timer === null) {
          const wait = shownAtMs + REDRAW_MS - Date.now();
          if (wait <= 0) show();
          else timer = setTimeout(show, wait);
        }
      };
      try {
        handle.current = actions.startCheck(cluster, topic, onProgress);
        log('info', `${what}: started, reading from the beginning`, true);
      } catch (error) {
        setState({ progress: null, running: false });
        log('error', `${what}: could not start: ${errorText(error)}`, true);
      }
    },
    [actions, log, stop],
  );

  return { check: state, start, stop };
}
