/**
 * Run as a child process (CI unset, so Ink draws every frame): drives the console through Ink's real
 * TTY renderer with the options runConsole uses, replays the bytes on a VirtualTerminal and prints
 * what the screen showed after each step as JSON.
 */
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { App } from '../../source/ui/App.js';
import { withIncrementalFix } from '../../source/ui/incremental-fix.js';
import { FilteredStdin } from '../../source/ui/input-filter.js';
import { ENTER_ALTERNATE_SCREEN, LEAVE_ALTERNATE_SCREEN } from '../../source/ui/terminal.js';
import { buildSnapshot, clock, FakeActions, FakeFeed } from './fixtures.js';
import { VirtualTerminal } from './virtual-terminal.js';

const [rows, columns] = [Number(process.argv[2] ?? 24), Number(process.argv[3] ?? 80)];
const screen = new VirtualTerminal(rows, columns);

class TtyStdout extends EventEmitter {
  readonly isTTY = true;
  readonly rows = rows;
  readonly columns = columns;
  write(data: string | Uint8Array) {
    screen.write(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    return true;
  }
}

class TtyStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  type(data: string) {
    this.data = data;
    this.emit('readable');
  }
  read() {
    const data = this.data;
    this.data = null;
    return data;
  }
  setRawMode() {}
  setEncoding() {}
  ref() {}
  unref() {}
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stdout = new TtyStdout();
const stdin = new TtyStdin();
const feed = new FakeFeed(buildSnapshot());
const steps: Array<{ step: string; lines: string[]; scrolls: number; clears: number }> = [];
const snap = (step: string) =>
  steps.push({ step, lines: screen.lines(), scrolls: screen.scrolls, clears: screen.clears });

stdout.write(ENTER_ALTERNATE_SCREEN);
const instance = render(
  <App feed={feed} actions={new FakeActions()} readOnly={false} color={true} now={clock} onQuit={() => {}} />,
  {
    stdout: withIncrementalFix(stdout as unknown as NodeJS.WriteStream),
    stdin: new FilteredStdin(stdin) as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    incrementalRendering: true,
    maxFps: 10,
    patchConsole: false,
  },
);
await pause(300);
snap('start');
for (const [step, keys] of [
  ['j j', ['j', 'j']],
  ['groups drill', ['2', '\r']],
  ['events', ['5']],
  ['topics', ['1']],
  ['help', ['?']],
  ['help closed', ['\x1b']],
] as const) {
  for (const key of keys) {
    stdin.type(key);
    await pause(150);
  }
  snap(step);
}
feed.push({ ...buildSnapshot({ targetStale: true }), seq: 43 });
await pause(300);
snap('target stale');
instance.unmount();
stdout.write(LEAVE_ALTERNATE_SCREEN);
process.stdout.write(
  `${JSON.stringify({ steps, alternateScreen: screen.alternateScreen, cursorVisible: screen.cursorVisible })}\n`,
);
process.exit(0);
