/**
 * A group committed below the log start: records it had not read were deleted (here by Kafka's own
 * kafka-delete-records, as retention would). kcat reads where each partition starts now; `lag --json`
 * flags exactly the partitions whose committed offset is below that, keeps the lag kafka-consumer-groups
 * prints, and `verify` warns of the group without blocking; so it does of a group only the target has.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LagRow } from '../../source/cli/commands/lag.js';
import { createKafka } from '../../source/kafka/client.js';
import type { LabStatus } from '../../source/lab/lab-status.js';
import type { GateCheck } from '../../source/model/cutover.js';
import { consumerGroupsTool, setOffsetsWithTool } from '../helpers/consumer-groups.js';
import {
  deleteGroupsOnBothClusters,
  eventually,
  SHARED_LAB_DIR,
  sharedLab,
  uniqueValue,
} from '../helpers/lab.js';
import { kafkaTool, kcatRecordAt, mirrorwatch, run } from '../helpers/run.js';

const PARTITIONS = 3;
const RECORDS = 20;
/** What the group committed, and where kafka-delete-records cuts each partition (-1: not cut). */
const COMMITTED = [5, 15, 2];
const DELETE_BEFORE = [10, 10, -1];

/** The offset of a partition's first record, as kcat reads it (the log start once records were deleted). */
/** Kafka's own kafka-delete-records: the partitions' records before each offset are deleted. */
async function deleteRecords(
  kafkaLibDir: string,
  bootstrap: string,
  file: string,
  cuts: Array<{ topic: string; partition: number; offset: number }>,
): Promise<void> {
  writeFileSync(file, JSON.stringify({ version: 1, partitions: cuts }));
  const deleted = await kafkaTool(kafkaLibDir, 'org.apache.kafka.tools.DeleteRecordsCommand', [
    '--bootstrap-server',
    bootstrap,
    '--offset-json-file',
    file,
  ]);
  assert.equal(deleted.code, 0, deleted.stderr);
}

async function kcatFirstOffset(brokers: string, topic: string, partition: number): Promise<number> {
  return Number(await kcatRecordAt(brokers, topic, partition, 'beginning', '%o'));
}

/** verify's below-log-start warning about `subject`, once verify gives it (within `timeoutMs`). */
async function belowLogStartWarning(subject: string, timeoutMs: number): Promise<GateCheck | undefined> {
  let check: GateCheck | undefined;
  await eventually(
    `verify to warn of ${subject}`,
    async () => {
      const result = await mirrorwatch(['verify', '--json', '--lab', SHARED_LAB_DIR], { timeoutMs: 60_000 });
      const checks = (JSON.parse(result.stdout) as { checks: GateCheck[] }).checks;
      check = checks.find((c) => c.subject === subject && c.reason === 'group-below-log-start');
      return check !== undefined;
    },
    timeoutMs,
    2000,
  );
  return check;
}

describe('a group committed below the log start (records deleted unread)', () => {
  let lab: LabStatus;
  const topic = uniqueValue('deleted-unread');
  const group = uniqueValue('deleted-unread-app');
  /** A group only the target has (its consumers already moved): committed on the target copy alone. */
  const movedGroup = uniqueValue('deleted-unread-moved');
  const dir = tmpdir();

  before(async () => {
    lab = await sharedLab();
    const admin = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'deleted-test').admin();
    await admin.connect();
    await admin
      .createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] })
      .finally(() => admin.disconnect());
    for (let p = 0; p < PARTITIONS; p++) {
      const lines = Array.from({ length: RECORDS }, (_, i) => `record-${p}-${i}`).join('\n');
      const written = await run('kcat', ['-P', '-b', lab.source.bootstrap, '-t', topic, '-p', String(p)], {
        input: `${lines}\n`,
      });
      assert.equal(written.code, 0, written.stderr);
    }
    await setOffsetsWithTool(
      lab.kafkaLibDir,
      lab.source.bootstrap,
      group,
      COMMITTED.map((offset, partition) => ({ topic, partition, offset })),
    );
    await deleteRecords(
      lab.kafkaLibDir,
      lab.source.bootstrap,
      join(dir, `${group}-delete.json`),
      DELETE_BEFORE.flatMap((offset, partition) => (offset < 0 ? [] : [{ topic, partition, offset }])),
    );
  });

  after(async () => {
    await deleteGroupsOnBothClusters(lab, [group, movedGroup]);
    for (const cluster of ['source', 'target'] as const) {
      const admin = createKafka({ name: cluster, brokers: [lab[cluster].bootstrap] }, 'deleted-test').admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    }
  });

  it('lag --json flags the partitions kcat starts past the commit, with the lag kafka-consumer-groups gives', async () => {
    const starts: number[] = [];
    for (let p = 0; p < PARTITIONS; p++) starts.push(await kcatFirstOffset(lab.source.bootstrap, topic, p));
    assert.deepEqual(
      starts,
      DELETE_BEFORE.map((offset) => Math.max(0, offset)),
      'kcat reads each partition from where the records were cut',
    );
    const result = await mirrorwatch([
      'lag',
      '--json',
      '--cluster',
      'source',
      '--group',
      group,
      '--lab',
      SHARED_LAB_DIR,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const rows = (JSON.parse(result.stdout) as LagRow[]).sort((a, b) => a.partition - b.partition);
    assert.deepEqual(
      rows.map((r) => [r.partition, r.currentOffset, r.belowLogStart]),
      COMMITTED.map((offset, p) => [p, offset, offset < (starts[p] as number)]),
    );
    const tool = await consumerGroupsTool(lab.kafkaLibDir, lab.source.bootstrap);
    for (const r of rows)
      assert.equal(
        String(r.lag),
        tool.get(`${group}/${topic}/${r.partition}`)?.[2],
        `lag of ${topic}/${r.partition}`,
      );

    // The table keeps kafka-consumer-groups' columns; the note goes beside it.
    const text = await mirrorwatch(['lag', '--cluster', 'source', '--group', group, '--lab', SHARED_LAB_DIR]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stderr,
      new RegExp(
        `^note: 1 partition\\(s\\) committed below the log start .*: source ${group} ${topic}/0\\n$`,
      ),
    );
  });

  it('verify warns of the group once MM2 mirrors the topic, without blocking on it', async () => {
    const check = await belowLogStartWarning(`group ${group}`, 90_000);
    assert.equal(check?.blocking, false);
    assert.match(check?.detail ?? '', new RegExp(`1 on the source \\(${topic}/0\\)`));
  });

  it('verify warns of a group only the target has, committed below where kcat starts the target copy', async () => {
    // MM2 copied every record of partition 2, the one not cut on the source (the lab's identity policy
    // keeps the topic's name).
    await eventually(
      'MM2 to copy partition 2',
      async () => {
        const read = await run('kcat', [
          '-C',
          '-b',
          lab.target.bootstrap,
          '-t',
          topic,
          '-p',
          '2',
          '-o',
          'beginning',
          '-e',
          '-q',
          '-f',
          '%o\n',
        ]);
        return read.code === 0 && read.stdout.trim().split('\n').filter(Boolean).length === RECORDS;
      },
      60_000,
      1000,
    );
    await setOffsetsWithTool(lab.kafkaLibDir, lab.target.bootstrap, movedGroup, [
      { topic, partition: 2, offset: 2 },
    ]);
    await deleteRecords(lab.kafkaLibDir, lab.target.bootstrap, join(dir, `${movedGroup}-delete.json`), [
      { topic, partition: 2, offset: 8 },
    ]);
    assert.equal(
      await kcatFirstOffset(lab.target.bootstrap, topic, 2),
      8,
      'kcat starts the target copy at 8',
    );

    const check = await belowLogStartWarning(`group ${movedGroup}`, 60_000);
    assert.equal(check?.blocking, false);
    assert.equal(check?.magnitude, 1);
    assert.match(
      check?.detail ?? '',
      new RegExp(`^partition\\(s\\) committed below the log start, 1 on the target \\(${topic}/2\\):`),
    );
  });
});
