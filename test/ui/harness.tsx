/** Renders the App with the fixtures and types keys into it. */
import { afterEach } from 'node:test';
import { render } from 'ink-testing-library';
import type { CutoverReads, PlannedTopic } from '../../source/actions/types.js';
import type { SnapshotFeed } from '../../source/monitor/feed.js';
import type { Snapshot } from '../../source/monitor/snapshot.js';
import { App } from '../../source/ui/App.js';
import { displayWidth } from '../../source/util/escape.js';
import { buildSnapshot, clock, FakeActions, FakeFeed, type FakeMirror, pause } from './fixtures.js';

export const ESC = '\x1b';
export const ENTER = '\r';
export const TAB = '\t';
export const SHIFT_TAB = '\x1b[Z';
export const DOWN = '\x1b[B';
export const UP = '\x1b[A';
export const PAGE_DOWN = '\x1b[6~';

export interface HarnessOptions {
  snapshot?: Snapshot | null;
  readOnly?: boolean;
  color?: boolean;
  rows?: number;
  columns?: number;
  plan?: PlannedTopic[];
  mirror?: FakeMirror | null;
  ascii?: boolean;
  /** Another feed (several flows) and how many flows the header announces. */
  feed?: SnapshotFeed;
  flows?: number;
  /** What the runbook's wire reads (topic configs, newest writes) answer. */
  cutover?: CutoverReads;
}

export function renderApp(options: HarnessOptions = {}) {
  const feed = new FakeFeed(options.snapshot === undefined ? buildSnapshot() : options.snapshot);
  const actions =
    options.mirror === undefined
      ? new FakeActions(options.plan)
      : new FakeActions(options.plan, options.mirror);
  if (options.cutover) actions.cutover = options.cutover;
  let quits = 0;
  const rows = options.rows ?? 24;
  const columns = options.columns ?? 80;
  const instance = render(
    <App
      feed={options.feed ?? feed}
      actions={actions}
      readOnly={options.readOnly ?? false}
      color={options.color ?? false}
      rows={rows}
      columns={columns}
      ascii={options.ascii ?? false}
      now={clock}
      header={{ origin: 'lab', flows: options.flows ?? 1 }}
      onQuit={() => {
        quits++;
      }}
    />,
  );

  /** Waits until Ink has stopped writing frames (a React commit can take more than one tick). */
  const settle = async () => {
    let seen = -1;
    for (let stable = 0, i = 0; stable < 3 && i < 200; i++) {
      await pause(2);
      stable = instance.frames.length === seen ? stable + 1 : 0;
      seen = instance.frames.length;
    }
  };

  const frame = () => instance.lastFrame() ?? '';

  return {
    feed,
    actions,
    rows,
    columns,
    frame,
    lines: () => frame().split('\n'),
    quits: () => quits,
    settle,
    /** Writes each argument as one stdin chunk, waiting for the frame after each. */
    press: async (...chunks: string[]) => {
      for (const chunk of chunks) {
        instance.stdin.write(chunk);
        await settle();
      }
    },
    unmount: () => instance.unmount(),
    allFrames: () => instance.frames,
  };
}

export type Harness = ReturnType<typeof renderApp>;

/**
 * For a test file: `open` renders the App and waits for its first frame; the app it opened last is
 * unmounted after each test.
 */
export function appOpener(): (options?: HarnessOptions) => Promise<Harness> {
  let current: Harness | null = null;
  afterEach(() => {
    current?.unmount();
    current = null;
  });
  return async (options = {}) => {
    current = renderApp(options);
    await current.settle();
    return current;
  };
}

/** The first line holding `text` (or matching it), or undefined. */
export function lineWith(h: Harness, text: string | RegExp): string | undefined {
  return h.lines().find((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)));
}

/** The row marked as selected (the `›` marker). */
export function selectedLine(h: Harness): string | undefined {
  return h.lines().find((l) => l.startsWith('› ') || l.startsWith('> '));
}

export function widestLine(frame: string): number {
  return Math.max(...frame.split('\n').map((l) => displayWidth(l)));
}
