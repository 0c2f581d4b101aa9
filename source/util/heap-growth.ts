import v8 from 'node:v8';

/**
 * How much V8 lets the old generation grow past what a full collection left alive before it starts
 * the next one, for the long-running console: 50 %.
 *
 * V8 picks that growth from the main thread's share of time outside garbage collection (it aims at
 * 97 %). The console's main thread is idle most of a refresh, so V8 picks its least, 10 %: on the
 * scaled lab of issue 7 (about 62 MB alive) it ran a full collection (mark-compact) every refresh,
 * 29 in 94 s, because each one moves what the refresh keeps alive (the snapshot on screen) into the
 * old generation, where it is garbage by the next refresh. The marking runs on V8's helper threads,
 * which that heuristic does not count: they took as much CPU as the console's own work (README,
 * "Garbage collection of the console"). With 50 %, one full collection every 10 to 15 s; a lower
 * resident memory too, measured, since fewer collections compact less often into new pages.
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
