import { useStdout } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** The terminal's size, following `resize`; explicit values (tests) win. */
export function useTerminalSize(rows?: number, columns?: number): TerminalSize {
  const { stdout } = useStdout();
  const read = (): TerminalSize => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return { columns: columns ?? size.columns, rows: rows ?? size.rows };
}

/**
 * The clock: re-read whenever `resync` changes (each snapshot) and every `intervalMs` while `mustTick`
 * says the screen shows something that counts up between snapshots (clock.ts).
 */
export function useNow(
  clock: () => number,
  intervalMs: number,
  mustTick: (nowMs: number) => boolean,
  resync: unknown,
): number {
  const [tick, setTick] = useState(clock);
  const mustTickRef = useRef(mustTick);
  mustTickRef.current = mustTick;
  useEffect(() => {
    const timer = setInterval(() => {
      const t = clock();
      if (mustTickRef.current(t)) setTick(t);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [clock, intervalMs]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `resync` value is what re-reads the clock
  return useMemo(() => Math.max(tick, clock()), [tick, clock, resync]);
}

/**
 * React keeps what each component rendered with the time before (its "alternate" fibers: state, memos
 * and props) until the next render replaces it. Between two snapshots that is the previous snapshot,
 * every group and partition of it, held for nothing: at 100,000 partitions a side a whole generation
 * of the data (npm run simulate). One more render once a snapshot is on screen, with nothing changed,
 * makes those fibers hold the newest snapshot instead. Ink writes nothing for it: its frame is the same.
 */
export function useReleasePreviousRender(snapshot: unknown): void {
  const [, rerender] = useState(0);
  useEffect(() => {
    if (snapshot !== null) rerender((n) => n + 1);
  }, [snapshot]);
}
