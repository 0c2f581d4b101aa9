import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually, sharedLab, uniqueValue } from '../helpers/lab.js';
import { kcat, kcatProduce } from '../helpers/run.js';

const SEED_TOPICS = { topic1: 1, topic2: 1, DmmAccess: 6, 'apache-logs': 15 };

/** Topic name -> partition count, from `kcat -L`. */
async function kcatTopics(brokers: string): Promise<Map<string, number>> {
  const result = await kcat(['-L', '-b', brokers, '-m', '10']);
  assert.equal(result.code, 0, result.stderr);
  const topics = new Map<string, number>();
  for (const match of result.stdout.matchAll(/topic "([^"]+)" with (\d+) partitions/g))
    topics.set(match[1]!, Number(match[2]));
  return topics;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  assert.equal(response.status, 200);
  return response.text();
}

function recordCount(metrics: string, topic: string): number {
  let total = 0;
  const pattern = /^kafka_connect_mirror_mirrorsourceconnector_record_count\{([^}]*)\} (\S+)/gm;
  for (const match of metrics.matchAll(pattern)) {
    if (match[1]!.includes(`topic="${topic}"`)) total += Number(match[2]);
  }
  return total;
}

describe('the shared lab (connect mode)', () => {
  it('lists the seed topics on both clusters, as kcat -L sees them', async () => {
    const lab = await sharedLab();
    for (const brokers of [lab.source.bootstrap, lab.target.bootstrap]) {
      const topics = await kcatTopics(brokers);
      for (const [topic, partitions] of Object.entries(SEED_TOPICS)) {
        assert.equal(topics.get(topic), partitions, `${topic} on ${brokers}`);
      }
    }
    assert.equal(lab.source.version, '3.9.2');
    assert.match(lab.target.version, /^4\./);
  });

  it('mirrors a record produced with kcat to the target within 60 s', async () => {
    const lab = await sharedLab();
    const value = uniqueValue('replication');
    const produced = await kcatProduce(lab.source.bootstrap, 'topic1', value);
    assert.equal(produced.code, 0, produced.stderr);
    await eventually('record on the target', async () => {
      const consumed = await kcat(
        ['-C', '-b', lab.target.bootstrap, '-t', 'topic1', '-o', '-20', '-e', '-q'],
        20_000,
      );
      return consumed.stdout.split('\n').includes(value);
    });
  });

  it('serves MM2 record-count metrics with topic and partition labels that grow after producing', async () => {
    const lab = await sharedLab();
    const before = await scrape(lab.metrics.url);
    assert.match(
      before,
      /kafka_connect_mirror_mirrorsourceconnector_record_count\{[^}]*partition="\d+"[^}]*topic="apache-logs"/,
    );
    // record-count is cumulative per MM2 task: earlier tests that stop or restart MM2 reset it.
    const countBefore = recordCount(before, 'DmmAccess');
    for (let i = 0; i < 5; i++)
      await kcatProduce(lab.source.bootstrap, 'DmmAccess', uniqueValue('metrics'), `key-${i}`);
    await eventually(
      'record count to grow by 5',
      async () => recordCount(await scrape(lab.metrics.url), 'DmmAccess') >= countBefore + 5,
    );
  });

  it('keeps writing heartbeats to the target', async () => {
    const lab = await sharedLab();
    const newest = async () => {
      const result = await kcat(
        ['-C', '-b', lab.target.bootstrap, '-t', 'heartbeats', '-o', '-1', '-e', '-q', '-f', '%o\n'],
        20_000,
      );
      return Number(result.stdout.trim().split('\n').pop());
    };
    const first = await newest();
    assert.ok(first >= 0);
    await eventually('a newer heartbeat', async () => (await newest()) > first, 30_000);
  });
});
