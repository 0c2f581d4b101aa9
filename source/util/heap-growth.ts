import v8 from 'node:v8';

/**
 * How much V8 lets the old generation grow past what a full collection left alive before it starts
 * the next one, for the long-running console: 50 %.
 *
 * V8 picks that growth from the main thread's share of time outside garbage collection (it aims at
 * 97 %). The console's main thread is idle most of a refresh, so V8 let it grow by only 20-40 %, and
 * starts marking before that: on the scaled lab of issue 7 (62 MB alive) it ran a full collection
 * (mark-compact) every 2 to 6 s. Each one moves what the refresh keeps alive (the snapshot on screen)
 * into the old generation, where it is garbage by the next refresh. The marking runs on V8's helper
 * threads, which that aim does not count: 2.3-2.6 % of a core, beside 3.4-3.6 % on the main thread.
 * With 50 %: one full collection about every 13 s, the console at 4.6 % of a core instead of 6.0-6.1 %,
 * and a lower resident memory (README, Design notes: "The console's full collections").
 */
export const CONSOLE_HEAP_GROWING_PERCENT = 50;

const FLAG = '--heap-growing-percent';

/**
 * Sets the console's heap growth (above) unless node was started with its own `--heap-growing-percent`.
 * Returns whether it set it. V8 reads the flag at every full collection, so setting it once the
 * process runs takes effect from the next one.
 */
export function applyConsoleHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (
    execArgv.some(
      (arg) => arg === FLAG || arg.startsWith(`${FLAG}=`) || arg.startsWith('--heap_growing_percent'),
    )
  )
    return false;
  v8.setFlagsFromString(`${FLAG}=${CONSOLE_HEAP_GROWING_PERCENT}`);
  return true;
}
