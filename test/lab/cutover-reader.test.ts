/**
 * The console's runbook reads (every 30 s while the runbook is shown) keep their clients: the second
 * read goes over the sockets of the first, where new clients each time meant new connections (and, on
 * a secured cluster, a new login) to every broker.
 */
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CutoverReader, readCutoverInputs } from '../../source/actions/cutover-reads.js';
import { resolveConnection } from '../../source/config/connection.js';
import { findLab } from '../../source/lab/lab-status.js';
import { Poller } from '../../source/monitor/poller.js';
import type { Snapshot } from '../../source/monitor/snapshot.js';
import { eventually, SHARED_LAB_DIR, sharedLab } from '../helpers/lab.js';

/** Local ports of this process's open sockets to the given broker ports. */
function socketsTo(ports: ReadonlySet<number>): Set<number> {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const local = new Set<number>();
  for (const h of handles)
    if (h instanceof Socket && h.remotePort !== undefined && ports.has(h.remotePort) && h.localPort)
      local.add(h.localPort);
  return local;
}

describe('the runbook reads of the console', () => {
  const connection = resolveConnection({ lab: SHARED_LAB_DIR }, findLab);
  let snapshot: Snapshot;
  let brokerPorts: Set<number>;
  let poller: Poller;

  before(async () => {
    const lab = await sharedLab();
    brokerPorts = new Set(
      [lab.source.bootstrap, lab.target.bootstrap].flatMap((b) =>
        b.split(',').map((a) => Number(a.split(':')[1])),
      ),
    );
    poller = new Poller({ connection });
    snapshot = await poller.refresh();
    await poller.stop();
    assert.ok(snapshot.mirror.topics.length > 0, 'the lab mirrors topics');
  });

  after(() => poller.stop());

  it('reads twice over the same connections, and closes them when done', async () => {
    const before = socketsTo(brokerPorts);
    const reader = new CutoverReader(connection);
    try {
      const first = await reader.read(snapshot);
      const opened = new Set([...socketsTo(brokerPorts)].filter((p) => !before.has(p)));
      assert.ok(opened.size >= 2, `connections to both clusters (${opened.size})`);
      const second = await reader.read(snapshot);
      const now = new Set([...socketsTo(brokerPorts)].filter((p) => !before.has(p)));
      assert.deepEqual([...now].sort(), [...opened].sort(), 'the second read opened no connection');
      assert.deepEqual(second.configDrift, first.configDrift);
      assert.deepEqual([...second.newestWrites.keys()].sort(), [...first.newestWrites.keys()].sort());
      assert.ok(first.newestWrites.size > 0, 'newest writes read');
      // What one read with clients of its own (verify --runbook) gives.
      const once = await readCutoverInputs(connection, snapshot);
      assert.deepEqual(once.configDrift, first.configDrift);
    } finally {
      await reader.close();
    }
    const left = () => [...socketsTo(brokerPorts)].filter((p) => !before.has(p));
    await eventually('no connection left open after close', async () => left().length === 0, 10_000, 200);
  });

  it('closes its connections once no read ran for a while, and opens new ones for the next read', async () => {
    const before = socketsTo(brokerPorts);
    const opened = () => [...socketsTo(brokerPorts)].filter((p) => !before.has(p));
    const reader = new CutoverReader(connection, 1_000);
    try {
      await reader.read(snapshot);
      assert.ok(opened().length >= 2, 'connections open after a read');
      await eventually(
        'connections closed after a second idle',
        async () => opened().length === 0,
        10_000,
        200,
      );
      const again = await reader.read(snapshot);
      assert.ok(again.newestWrites.size > 0, 'the next read works');
      assert.ok(opened().length >= 2, 'with connections of its own');
    } finally {
      await reader.close();
    }
  });
});
