import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKafka } from '../../source/kafka/client.js';
import { eventually, SHARED_LAB_DIR, sharedLab } from '../helpers/lab.js';
import { mirrorwatch } from '../helpers/run.js';

interface Gate {
  ready: boolean;
  checks: Array<{ subject: string; ok: boolean; blocking: boolean; detail: string }>;
}

async function verify(): Promise<{ code: number; gate: Gate }> {
  const result = await mirrorwatch(['verify', '--json', '--lab', SHARED_LAB_DIR]);
  return { code: result.code, gate: JSON.parse(result.stdout) as Gate };
}

describe('verify: the cutover gate on the lab', () => {
  it('is not ready while a source group lags, and ready once it caught up and MM2 translated its offsets', async () => {
    const lab = await sharedLab();
    const before = await verify();
    assert.equal(before.code, 1);
    assert.equal(before.gate.ready, false);
    const lagging = before.gate.checks.find(
      (c) => c.subject === 'group apache-logs-indexer' && c.detail.includes('on the source'),
    );
    assert.equal(lagging?.ok, false);
    assert.match(lagging!.detail, /^lag \d+ on the source: consumers have not finished$/);

    // The consumers finish: the group commits the end offsets on the source (as an application would).
    const admin = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'verify-test').admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets('apache-logs');
    await admin.setOffsets({
      groupId: 'apache-logs-indexer',
      topic: 'apache-logs',
      partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
    });
    await admin.disconnect();

    let last: Gate | undefined;
    await eventually(
      'the gate to open',
      async () => {
        const { code, gate } = await verify();
        last = gate;
        return code === 0 && gate.ready;
      },
      120_000,
      3000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(last?.checks.filter((c) => !c.ok))}`);
    });
    const synced = last!.checks.find(
      (c) => c.subject === 'group apache-logs-indexer' && c.detail.startsWith('offsets translated'),
    );
    assert.equal(synced?.ok, true);
  });
});
