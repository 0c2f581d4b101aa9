/**
 * A real cutover on the lab, walked with `verify --runbook`: traffic running (producers not stopped),
 * traffic stopped, a consumer group drained on the source by a real consumer, MM2 checkpointing and
 * syncing its offsets to the target, the group started on the target, the mirror stopped. The steps
 * turn done in order; kafka-consumer-groups cross-checks the group on both clusters.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer } from 'kafkajs';
import { createKafka } from '../../source/kafka/client.js';
import type { LabStatus } from '../../source/lab/lab-status.js';
import type { RunbookStep } from '../../source/model/runbook.js';
import { consumerGroupsTool } from '../helpers/consumer-groups.js';
import {
  deleteGroupsOnBothClusters,
  eventually,
  SHARED_LAB_DIR,
  sharedLab,
  uniqueValue,
} from '../helpers/lab.js';
import { CLI, mirrorwatch } from '../helpers/run.js';

const TOPIC = 'topic1';
const QUIET_SECONDS = 6;

interface RunbookJson {
  ready: boolean;
  flow: string;
  current: string | null;
  steps: RunbookStep[];
}

async function verifyRunbook(
  group: string,
  json = true,
): Promise<{ code: number; out: RunbookJson | string }> {
  const result = await mirrorwatch(
    [
      'verify',
      '--runbook',
      ...(json ? ['--json'] : []),
      '--lab',
      SHARED_LAB_DIR,
      '--group',
      group,
      '--sample',
      '3',
      '--quiet-seconds',
      String(QUIET_SECONDS),
    ],
    { timeoutMs: 120_000 },
  );
  assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}`);
  return { code: result.code, out: json ? (JSON.parse(result.stdout) as RunbookJson) : result.stdout };
}

async function runbookOf(group: string): Promise<RunbookJson> {
  return (await verifyRunbook(group)).out as RunbookJson;
}

function describeSteps(book: RunbookJson): string {
  return book.steps.map((s) => `${s.number} ${s.status} ${s.reason}`).join('\n');
}

/** Steps 1..n done, and the current step the next one. */
function doneThrough(book: RunbookJson, n: number): boolean {
  return book.steps.slice(0, n).every((s) => s.done) && book.current === (book.steps[n]?.id ?? null);
}

/** Reads the runbook until steps 1..n are done and step n+1 is current; fails with the last steps. */
async function untilDoneThrough(
  group: string,
  n: number,
  what: string,
  timeoutMs: number,
): Promise<RunbookJson> {
  let book: RunbookJson | null = null;
  await eventually(
    what,
    async () => {
      book = await runbookOf(group);
      return doneThrough(book, n);
    },
    timeoutMs,
    0,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${book ? describeSteps(book) : ''}`);
  });
  return book as unknown as RunbookJson;
}

async function consume(lab: LabStatus, cluster: 'source' | 'target', group: string): Promise<Consumer> {
  const kafka = createKafka(
    { name: cluster, brokers: lab[cluster].bootstrap.split(',') },
    `runbook-test-${cluster}`,
  );
  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({ autoCommitInterval: 500, eachMessage: async () => {} });
  return consumer;
}

describe('verify --runbook walks a real cutover', () => {
  let lab: LabStatus;
  let traffic: ChildProcess | null = null;
  const consumers: Consumer[] = [];
  const group = uniqueValue('runbook-app');

  before(async () => {
    lab = await sharedLab();
    // The group starts with everything to read: committed at the start of topic1, as an app that fell behind.
    const admin = createKafka(
      { name: 'source', brokers: lab.source.bootstrap.split(',') },
      'runbook-test',
    ).admin();
    await admin.connect();
    try {
      await admin.setOffsets({ groupId: group, topic: TOPIC, partitions: [{ partition: 0, offset: '0' }] });
    } finally {
      await admin.disconnect();
    }
  });

  after(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {});
    if (traffic && traffic.exitCode === null) traffic.kill('SIGTERM');
    await mirrorwatch(['lab', 'mirror', 'start', '--state-dir', SHARED_LAB_DIR], { timeoutMs: 120_000 });
    await deleteGroupsOnBothClusters(lab, [group]);
  });

  it('is not ready while producers write, and names the step', async () => {
    traffic = spawn(process.execPath, [CLI, 'lab', 'traffic', '--state-dir', SHARED_LAB_DIR], {
      stdio: 'ignore',
    });
    await eventually(
      'the traffic to write to the source while the runbook is read',
      async () => {
        const { code, out } = await verifyRunbook(group);
        const book = out as RunbookJson;
        const producers = book.steps[2]!;
        return (
          code === 1 &&
          !book.ready &&
          book.current !== null &&
          producers.id === 'producers-stopped' &&
          !producers.met &&
          /^written \d+ s ago \(need 6 s quiet\): /.test(producers.reason) &&
          producers.blockers.includes(TOPIC)
        );
      },
      60_000,
      0,
    );
  });

  it('after the producers stop, waits on the group lag on the source', async () => {
    const exited = new Promise((resolve) => traffic?.once('exit', resolve));
    traffic?.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (traffic?.exitCode === null && traffic.signalCode === null) traffic.kill('SIGKILL');
    const book = await untilDoneThrough(group, 3, 'steps 1-3 done, step 4 (groups drained) current', 90_000);
    const current = book.steps[3];
    assert.match(current?.reason ?? '', new RegExp(`^lag \\d+ on the source: ${group} \\d+$`));
    assert.deepEqual(current?.blockers, [group]);
  });

  it('a real consumer drains the group; MM2 checkpoints and syncs its offsets to the target', async () => {
    const consumer = await consume(lab, 'source', group);
    consumers.push(consumer);
    await eventually(
      'kafka-consumer-groups to show the group at lag 0 on the source',
      async () => {
        const rows = await consumerGroupsTool(lab.kafkaLibDir, lab.source.bootstrap);
        return rows.get(`${group}/${TOPIC}/0`)?.[2] === '0';
      },
      60_000,
      1000,
    );
    await consumer.disconnect();
    consumers.splice(consumers.indexOf(consumer), 1);

    const book = await untilDoneThrough(
      group,
      5,
      'steps 1-5 done (drained, checkpointed and synced), step 6 (groups on the target) current',
      120_000,
    );
    const done = book;
    assert.match(done.steps[4]!.reason, /^1 group\(s\) checkpointed and synced/);
    assert.equal(done.steps[5]!.reason, `on the target: ${group} not started (no member)`);
    // kafka-consumer-groups on the target: MM2 gave the group committed offsets there.
    const target = await consumerGroupsTool(lab.kafkaLibDir, lab.target.bootstrap);
    const row = target.get(`${group}/${TOPIC}/0`);
    assert.ok(row && /^\d+$/.test(row[0]), `the group has a committed offset on the target: ${row}`);
  });

  it('the group started on the target evaluates OK; stopping the mirror makes the runbook ready', async () => {
    consumers.push(await consume(lab, 'target', group));
    const book = await untilDoneThrough(group, 6, 'steps 1-6 done, step 7 (mirror stopped) current', 90_000);
    const before = book;
    assert.equal(before.steps[5]!.reason, '1 group(s) consuming on the target, evaluated OK');
    assert.match(before.steps[6]!.reason, /^3 of 3 connector\(s\) not stopped \(3 RUNNING\)$/);

    // Connect's REST can miss its 5 s answer on a loaded machine: the operator would retry too.
    await eventually(
      'lab mirror stop to succeed',
      async () =>
        (await mirrorwatch(['lab', 'mirror', 'stop', '--state-dir', SHARED_LAB_DIR], { timeoutMs: 120_000 }))
          .code === 0,
      120_000,
      2000,
    );
    let text = '';
    await eventually(
      'verify --runbook to say READY and exit 0',
      async () => {
        const { code, out } = await verifyRunbook(group, false);
        text = out as string;
        return code === 0;
      },
      60_000,
      0,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${text}`);
    });
    assert.match(text, /READY: every step of the runbook is done/);
    assert.match(text, /✓ 7 done +mirror stopped: 3 connector\(s\) STOPPED/);
    const ready = await runbookOf(group);
    assert.equal(ready.ready, true, describeSteps(ready));
    assert.equal(ready.current, null);
    process.stdout.write(`verify --runbook, ready:\n${text}`);
  });
});
