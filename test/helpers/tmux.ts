import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, LAUNCHER, run } from './run.js';

/** A tmux server of the tests' own, so nothing touches the developer's sessions. */
const SOCKET = ['-L', `mirrorwatch-test-${process.pid}`];

function tmux(args: string[]) {
  return run('tmux', [...SOCKET, ...args], { timeoutMs: 10_000 });
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export class ConsoleSession {
  private constructor(readonly name: string) {}

  /**
   * Starts the console in a real terminal of `width`×`height`, without CI in its environment (Ink checks
   * it): `node bin/mirrorwatch.js`, or with `installed`, the installed command (bin/mirrorwatch).
   */
  static async start(
    name: string,
    args: string[],
    size: { width: number; height: number },
    options: { installed?: boolean } = {},
  ): Promise<ConsoleSession> {
    const program = options.installed ? [LAUNCHER] : [process.execPath, CLI];
    const command = ['env', '-u', 'CI', ...program, ...args].map(shellQuote).join(' ');
    const newSession = () =>
      tmux([
        'new-session',
        '-d',
        '-s',
        name,
        '-x',
        String(size.width),
        '-y',
        String(size.height),
        `${command}; echo "[console exited $?]"; sleep 600`,
      ]);
    let started = await newSession();
    // The previous test's kill-session ended the server's last session: it exits, and a new session
    // asked for at that moment finds it going away. Once it is gone the next one starts a fresh server.
    for (
      let attempt = 0;
      started.code !== 0 && /server exited/.test(started.stderr) && attempt < 3;
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      started = await newSession();
    }
    if (started.code !== 0) throw new Error(`tmux new-session failed: ${started.stderr}`);
    await tmux(['set-option', '-t', name, 'allow-rename', 'on']);
    return new ConsoleSession(name);
  }

  async screen(): Promise<string> {
    return (await tmux(['capture-pane', '-p', '-t', this.name])).stdout;
  }

  async title(): Promise<string> {
    return (await tmux(['display-message', '-p', '-t', this.name, '#{pane_title}'])).stdout.trim();
  }

  /** Sends one key (tmux key name like Enter, Escape, Tab, or a character), then pauses. */
  async key(key: string, pauseMs = 250): Promise<void> {
    await tmux(['send-keys', '-t', this.name, key]);
    await sleep(pauseMs);
  }

  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) await this.key(k);
  }

  /**
   * Confirms the S dialog that is open: types the flow name and Enter when the runbook asks for it (a
   * step before "mirror stopped" is not done), else `y`.
   */
  async confirmStop(): Promise<void> {
    const typed = /Type (\S+) and Enter to stop anyway/.exec(await this.screen());
    if (!typed) {
      await this.key('y');
      return;
    }
    for (const ch of typed[1]!) await this.key(ch, 60);
    await this.waitFor(new RegExp(`stop anyway: ${typed[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await this.key('Enter');
  }

  /** Waits until the screen matches every pattern; fails with the last screen. */
  async waitFor(patterns: RegExp | RegExp[], timeoutMs = 30_000): Promise<string> {
    const list = Array.isArray(patterns) ? patterns : [patterns];
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = await this.screen();
      if (list.every((p) => p.test(last))) return last;
      await sleep(300);
    }
    throw new Error(
      `screen never matched ${list.map(String).join(' and ')} in ${timeoutMs} ms; last screen:\n${last}`,
    );
  }

  async resize(width: number, height: number): Promise<void> {
    await tmux(['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  /** The console's process id (the pane runs a shell that started it). */
  async pid(): Promise<number | null> {
    const pane = (await tmux(['display-message', '-p', '-t', this.name, '#{pane_pid}'])).stdout.trim();
    const children = await run('pgrep', ['-P', pane], { timeoutMs: 10_000 });
    const pid = Number(children.stdout.trim().split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  async stop(): Promise<void> {
    await tmux(['kill-session', '-t', this.name]);
  }

  static async killServer(): Promise<void> {
    await tmux(['kill-server']);
  }
}
