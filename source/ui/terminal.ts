/**
 * Runs the console full-screen: alternate screen in, and out again on every way the process can
 * leave (q, Ctrl-C, SIGTERM, SIGHUP when the SSH session drops, an uncaught exception).
 */
import { type Instance, render } from 'ink';
import { createElement } from 'react';
import type { ConsoleActions } from '../actions/types.js';
import type { RunbookOptions } from '../model/runbook.js';
import type { SnapshotFeed } from '../monitor/feed.js';
import { App } from './App.js';
import { prefersAscii } from './glyphs.js';
import { withIncrementalFix } from './incremental-fix.js';
import { FilteredStdin } from './input-filter.js';

/** The alternate screen keeps the cursor where the shell left it: home it, or the first frame scrolls. */
export const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
export const LEAVE_ALTERNATE_SCREEN = '\x1b[?25h\x1b[?1049l';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ConsoleOptions {
  feed: SnapshotFeed;
  actions: ConsoleActions;
  readOnly: boolean;
  color: boolean;
  header: { origin: string; flows?: number };
  /** ASCII symbols; by default from the locale (LANG=C and other non-UTF-8 locales). */
  ascii?: boolean;
  /** The runbook's thresholds and groups. */
  cutover?: RunbookOptions;
}

/** https://no-color.org: present and not empty. chalk does not honour it by itself. */
export function noColorRequested(env: NodeJS.ProcessEnv): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/** Ink draws only the final frame when CI is set, which makes an interactive console blank. */
export function interactiveProblem(
  env: NodeJS.ProcessEnv,
  stdoutIsTty: boolean,
  stdinIsTty: boolean,
): string | null {
  if (!stdoutIsTty || !stdinIsTty) return 'the console needs a terminal on stdin and stdout';
  const ci = env.CI;
  if (ci !== undefined && ci !== '0' && ci.toLowerCase() !== 'false') {
    return 'the console cannot run with CI set (Ink would draw only the last frame): unset CI';
  }
  return null;
}

/**
 * Resolves when the operator quits (q, Ctrl-C); rejects on an uncaught exception, the terminal
 * restored first. SIGINT, SIGTERM and SIGHUP restore the terminal and end the process by the signal.
 */
export function runConsole(options: ConsoleOptions): Promise<void> {
  const problem = interactiveProblem(
    process.env,
    Boolean(process.stdout.isTTY),
    Boolean(process.stdin.isTTY),
  );
  if (problem) return Promise.reject(new Error(problem));

  return new Promise<void>((resolve, reject) => {
    let finished = false;
    let restored = false;
    const restore = () => {
      if (restored) return;
      restored = true;
      process.stdout.write(LEAVE_ALTERNATE_SCREEN);
    };

    const detach = () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      process.off('uncaughtException', onException);
      process.off('exit', restore);
    };

    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      try {
        instance.unmount();
      } finally {
        restore();
        detach();
      }
      if (error === undefined) resolve();
      else reject(error);
    };

    function onSignal(signal: (typeof SIGNALS)[number]) {
      finish();
      // End as the signal's default action would (status 128 + n). Ink's signal-exit re-raises it
      // anyway once it sees no other listener, so a caller could not keep running after it.
      process.kill(process.pid, signal);
    }

    function onException(error: Error) {
      process.exitCode = 1;
      finish(error);
    }

    process.stdout.write(ENTER_ALTERNATE_SCREEN);
    process.on('exit', restore);
    for (const signal of SIGNALS) process.on(signal, onSignal);
    process.on('uncaughtException', onException);

    const app = createElement(App, {
      feed: options.feed,
      actions: options.actions,
      readOnly: options.readOnly,
      color: options.color && !noColorRequested(process.env),
      header: options.header,
      ascii: options.ascii ?? prefersAscii(process.env),
      ...(options.cutover ? { cutover: options.cutover } : {}),
      onQuit: () => finish(),
    });
    const stdin = new FilteredStdin(process.stdin);
    let instance: Instance;
    try {
      instance = render(app, {
        // Ink takes a NodeJS.ReadStream; FilteredStdin implements the part of it Ink uses
        stdin: stdin as unknown as NodeJS.ReadStream,
        stdout: withIncrementalFix(process.stdout),
        exitOnCtrlC: false,
        incrementalRendering: true,
        maxFps: 10,
        patchConsole: true,
      });
    } catch (error) {
      restore();
      detach();
      reject(error);
      return;
    }
    instance.waitUntilExit().then(
      () => finish(),
      (error: unknown) => finish(error),
    );
  });
}
