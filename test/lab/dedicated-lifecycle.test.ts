import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isListening } from '../../source/util/listening.js';
import { eventually, labStatusOf, uniqueValue } from '../helpers/lab.js';
import { kcat, kcatProduce, mirrorwatch, run } from '../helpers/run.js';

const STATE_DIR = join(tmpdir(), `mirrorwatch-test-dedicated-${process.pid}`);
const OFFSET = ['--port-offset', '2000'];
const STATE = ['--state-dir', STATE_DIR];

async function ourProcesses(): Promise<string[]> {
  const ps = await run('ps', ['-eo', 'pid,args']);
  return ps.stdout.split('\n').filter((line) => line.includes(STATE_DIR) && !line.includes(' ps '));
}

async function lastValues(brokers: string, topic: string): Promise<string[]> {
  const consumed = await kcat(['-C', '-b', brokers, '-t', topic, '-o', '-20', '-e', '-q'], 20_000);
  return consumed.stdout.split('\n');
}

describe('lab lifecycle with the dedicated MirrorMaker 2 process', () => {
  let upSeconds = 0;
  before(async () => {
    const started = Date.now();
    const up = await mirrorwatch(['lab', 'up', '--mm2', 'dedicated', ...OFFSET, ...STATE], {
      timeoutMs: 600_000,
    });
    upSeconds = (Date.now() - started) / 1000;
    assert.equal(up.code, 0, up.stderr);
  });
  after(async () => {
    await mirrorwatch(['lab', 'reset', ...STATE], { timeoutMs: 120_000 });
  });

  it('reports a running lab with the documented status fields', async () => {
    const status = await labStatusOf(STATE_DIR);
    assert.equal(status.state, 'running');
    assert.equal(status.source.bootstrap, '127.0.0.1:21092');
    assert.equal(status.target.bootstrap, '127.0.0.1:31092');
    assert.equal(status.connect.url, null, 'dedicated MM2 has no REST API');
    assert.equal(status.metrics.url, 'http://127.0.0.1:31404/metrics');
    assert.deepEqual(status.mirror.connectors, [
      'MirrorSourceConnector',
      'MirrorCheckpointConnector',
      'MirrorHeartbeatConnector',
    ]);
    assert.equal(status.stateDir, STATE_DIR);
    assert.ok(
      readFileSync(join(STATE_DIR, 'mm2', 'mm2.properties'), 'utf8').includes('old->new.enabled=true'),
    );
    assert.ok(upSeconds > 0);
  });

  it('is idempotent: a second up keeps the same processes and returns quickly', async () => {
    const before = (await ourProcesses()).sort();
    const started = Date.now();
    const up = await mirrorwatch(['lab', 'up', '--mm2', 'dedicated', ...OFFSET, ...STATE], {
      timeoutMs: 300_000,
    });
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual((await ourProcesses()).sort(), before);
    assert.ok(Date.now() - started < 60_000);
  });

  it('refuses to start over a running lab with other settings', async () => {
    const up = await mirrorwatch(['lab', 'up', '--mm2', 'connect', ...OFFSET, ...STATE], {
      timeoutMs: 300_000,
    });
    assert.notEqual(up.code, 0);
    assert.match(up.stderr, /^mirrorwatch: the lab in .* is running with other settings .*lab down/);
    assert.equal(up.stderr.trim().split('\n').length, 1);
  });

  it('mirrors end to end, stops with `lab mirror stop` and resumes with `lab mirror start`', async () => {
    const status = await labStatusOf(STATE_DIR);
    const first = uniqueValue('dedicated-before');
    await kcatProduce(status.source.bootstrap, 'topic1', first);
    await eventually('first record mirrored', async () =>
      (await lastValues(status.target.bootstrap, 'topic1')).includes(first),
    );

    const stop = await mirrorwatch(['lab', 'mirror', 'stop', ...STATE]);
    assert.equal(stop.code, 0, stop.stderr);
    const whileStopped = uniqueValue('dedicated-stopped');
    await kcatProduce(status.source.bootstrap, 'topic1', whileStopped);
    await new Promise((r) => setTimeout(r, 15_000));
    assert.ok(
      !(await lastValues(status.target.bootstrap, 'topic1')).includes(whileStopped),
      'no record arrives while stopped',
    );
    assert.equal((await labStatusOf(STATE_DIR)).mirror.stoppedByOperator, true);

    const start = await mirrorwatch(['lab', 'mirror', 'start', ...STATE]);
    assert.equal(start.code, 0, start.stderr);
    await eventually(
      'record mirrored after start',
      async () => (await lastValues(status.target.bootstrap, 'topic1')).includes(whileStopped),
      90_000,
    );
  });

  it('reads MM2 positions from the offsets topic as kcat reads them (no REST API in dedicated mode)', async () => {
    const status = await labStatusOf(STATE_DIR);
    await eventually(
      'positions to agree with mm2-offsets.old.internal',
      async () => {
        const result = await mirrorwatch(['status', '--json', '--lab', STATE_DIR]);
        const doc = JSON.parse(result.stdout);
        assert.match(doc.mirror.positionsFrom, /^topic mm2-offsets\.old\.internal$/);
        const dump = await kcat([
          '-C',
          '-b',
          status.target.bootstrap,
          '-t',
          'mm2-offsets.old.internal',
          '-e',
          '-q',
          '-f',
          '%k\t%s\n',
        ]);
        const newest = new Map<string, number>();
        for (const line of dump.stdout.split('\n')) {
          const [key, value] = line.split('\t');
          if (!key || !value) continue;
          const [connector, partition] = JSON.parse(key) as [
            string,
            { cluster: string; topic: string; partition: number },
          ];
          // `heartbeats` is mirrored too (as old.heartbeats) but is MM2's own topic, not a user topic.
          if (
            !connector.endsWith('MirrorSourceConnector') ||
            partition.cluster !== 'old' ||
            partition.topic === 'heartbeats'
          )
            continue;
          newest.set(
            `${partition.topic}/${partition.partition}`,
            (JSON.parse(value) as { offset: number }).offset,
          );
        }
        const ours = new Map<string, number>(
          doc.replication.partitions
            .filter((p: { position: number | null }) => p.position !== null)
            .map((p: { topic: string; partition: number; position: number }) => [
              `${p.topic}/${p.partition}`,
              p.position,
            ]),
        );
        assert.ok(ours.size >= 23, `positions known for ${ours.size} partitions`);
        assert.deepEqual(ours, newest);
        return true;
      },
      60_000,
      2000,
    );
  });

  it('down stops every process and leaves no listener behind', async () => {
    const status = await labStatusOf(STATE_DIR);
    const down = await mirrorwatch(['lab', 'down', ...STATE], { timeoutMs: 120_000 });
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await ourProcesses(), []);
    for (const port of [21092, 21093, 31092, 31093, 31404])
      assert.equal(await isListening(port), false, `port ${port}`);
    assert.equal((await labStatusOf(STATE_DIR)).state, 'stopped');
    assert.equal(status.state, 'running');
  });
});
