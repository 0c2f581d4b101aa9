/**
 * The console holds a snapshot only while it shows it: at 100,000 partitions a snapshot is a few
 * hundred megabytes of groups and partitions, so one kept by mistake is a generation of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Snapshot } from '../../source/monitor/snapshot.js';
import { buildSnapshot, pause } from './fixtures.js';
import { appOpener, ESC, type Harness } from './harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const open = appOpener();

/** A fresh snapshot, `seq` apart from the others; the caller keeps only a WeakRef to it. */
function numbered(seq: number): { snapshot: Snapshot; ref: WeakRef<Snapshot> } {
  const snapshot = { ...buildSnapshot(), seq };
  return { snapshot, ref: new WeakRef(snapshot) };
}

/** Which of `refs` survive full collections (a WeakRef's target lives until the job that read it ends). */
async function survivors(refs: Array<WeakRef<Snapshot>>): Promise<number[]> {
  for (let i = 0; i < 3; i++) {
    await pause(5);
    gc();
  }
  await pause(5);
  return refs.flatMap((ref, i) => (ref.deref() === undefined ? [] : [i]));
}

async function pushNumbered(app: Harness, from: number, count: number): Promise<Array<WeakRef<Snapshot>>> {
  const refs: Array<WeakRef<Snapshot>> = [];
  for (let seq = from; seq < from + count; seq++) {
    const { snapshot, ref } = numbered(seq);
    app.feed.push(snapshot);
    refs.push(ref);
    await app.settle();
  }
  return refs;
}

describe('snapshots the console no longer shows', () => {
  it('are let go, the one on screen when the console started too', async () => {
    const first = numbered(1);
    const app = await open({ snapshot: first.snapshot });
    first.snapshot = null as unknown as Snapshot;
    // Every pane, the runbook (its reads start on the first snapshot), a drill-down and back.
    await app.press('2', '\r', ESC, '3', 'S', ESC, '1');
    const refs = [first.ref, ...(await pushNumbered(app, 2, 5))];
    const kept = await survivors(refs);
    // The newest is on screen, and only it: React's previous render let go of the one before
    // (useReleasePreviousRender, ui/hooks.ts).
    assert.deepEqual(
      kept.map((i) => i + 1),
      [refs.length],
      `snapshots still held: ${kept.map((i) => i + 1).join(', ')} of ${refs.length}`,
    );
  });
});
