import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabError } from './errors.js';

export interface StartedProcess {
  pid: number;
  log: string;
}

/**
 * Starts a process that outlives this command (the lab keeps running after `lab up` returns).
 * stdout and stderr go to `log`; `marker` is put on the command line so that a pid can later be
 * recognised as ours even after a reboot recycled it.
 */
export function startDetached(
  command: string,
  args: string[],
  options: { log: string; cwd: string; env?: NodeJS.ProcessEnv },
): StartedProcess {
  const out = openSync(options.log, 'a');
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    return { pid: child.pid, log: options.log };
  } finally {
    closeSync(out);
  }
}

/** True when `pid` is alive and its command line carries `marker`. */
export function isOurProcess(pid: number | undefined, marker: string): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  try {
    // A zombie has an empty command line: it is gone for our purposes.
    const args = readFileSync(cmdline, 'utf8').split('\0');
    return args.includes(marker) || args.includes(`--marker=${marker}`);
  } catch {
    return false;
  }
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; onTimeout: () => Error },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    // A LabError is a verdict (the process died, the operator stopped the mirror): stop waiting.
    // Anything else (connection refused while starting) means "not yet".
    const value = await check().catch((error: unknown) => {
      if (error instanceof LabError) throw error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw options.onTimeout();
    await sleep(options.intervalMs ?? 500);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(pid: number, marker: string, graceMs = 20_000): Promise<void> {
  if (!isOurProcess(pid, marker)) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isOurProcess(pid, marker)) {
    if (Date.now() > deadline) {
      signalGroup('SIGKILL');
      await sleep(200);
      if (!isOurProcess(pid, marker)) return;
    }
    await sleep(200);
  }
}

export function tailOf(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
