/**
 * Run as a child process (CI unset, so Ink draws every frame): drives the console through Ink's real
 * TTY renderer with the options runConsole uses, replays the bytes on a VirtualTerminal and prints
 * what the screen showed after each step as JSON.
 */
import { render } from 'ink';
import { App } from '../../source/ui/App.js';
import { withIncrementalFix } from '../../source/ui/incremental-fix.js';
import { FilteredStdin } from '../../source/ui/input-filter.js';
import { ENTER_ALTERNATE_SCREEN, LEAVE_ALTERNATE_SCREEN } from '../../source/ui/terminal.js';
import { buildSnapshot, clock, FakeActions, FakeFeed, FakeStdin, FakeStdout, pause } from './fixtures.js';
import { VirtualTerminal } from './virtual-terminal.js';

const [rows, columns] = [Number(process.argv[2] ?? 24), Number(process.argv[3] ?? 80)];
const screen = new VirtualTerminal(rows, columns);

const stdout = new FakeStdout({ rows, columns, isTTY: true, onWrite: (data) => screen.write(data) });
const stdin = new FakeStdin();
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
await pause(1000);
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
    await pause(450);
  }
  snap(step);
}
feed.push({ ...buildSnapshot({ targetStale: true }), seq: 43 });
await pause(1000);
snap('target stale');
instance.unmount();
stdout.write(LEAVE_ALTERNATE_SCREEN);
process.stdout.write(
  `${JSON.stringify({ steps, alternateScreen: screen.alternateScreen, cursorVisible: screen.cursorVisible })}\n`,
);
process.exit(0);
