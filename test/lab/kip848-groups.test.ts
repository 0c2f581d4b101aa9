/**
 * A consumer group of the new protocol (KIP-848, group.protocol=consumer) on the lab's Kafka 4 target,
 * run by Kafka's own console consumer, read by mirrorwatch and by kafka-consumer-groups side by side.
 * Like after a cutover, the group starts as offsets only (committed to the start of topic1, a classic
 * group without members, as MM2's offset sync leaves one) and the new-protocol consumer takes it over;
 * it does not commit, so the group keeps a lag and shows in `status`.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { LagRow } from '../../source/cli/commands/lag.js';
import type { LabStatus } from '../../source/lab/lab.js';
import { eventually, SHARED_LAB_DIR, sharedLab, uniqueValue } from '../helpers/lab.js';
import { kafkaTool, mirrorwatch } from '../helpers/run.js';

const LAB = ['--lab', SHARED_LAB_DIR];
const GROUP_COMMAND = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';
const CONSOLE_CONSUMER = 'org.apache.kafka.tools.consumer.ConsoleConsumer';

type Protocol = 'classic' | 'consumer';

interface StatusGroup {
  cluster: string;
  group: string;
  protocol: Protocol;
  state: string;
  members: number;
  lag: number | null;
}

/** Rows of a kafka-consumer-groups --describe table (header line first), split on blanks. */
function describeRows(stdout: string, group: string): string[][] {
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[0] === group);
}

async function consumerGroups(lab: LabStatus, args: string[]): Promise<string> {
  const result = await kafkaTool(lab.kafkaLibDir, GROUP_COMMAND, [
    '--bootstrap-server',
    lab.target.bootstrap,
    ...args,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

/** `--describe --state`: STATE and #MEMBERS are the last two columns. */
async function toolState(lab: LabStatus, group: string): Promise<{ state: string; members: number }> {
  const [row] = describeRows(await consumerGroups(lab, ['--describe', '--group', group, '--state']), group);
  assert.ok(row, `kafka-consumer-groups --state lists ${group}`);
  return { state: row.at(-2)!, members: Number(row.at(-1)) };
}

/** `--describe --members`: CONSUMER-ID, HOST, CLIENT-ID, #PARTITIONS of each member. */
async function toolMembers(lab: LabStatus, group: string): Promise<string[][]> {
  const stdout = await consumerGroups(lab, ['--describe', '--group', group, '--members']);
  return describeRows(stdout, group)
    .map((cols) => cols.slice(1, 5))
    .sort();
}

/** `--describe` (offsets): topic/partition -> [CURRENT-OFFSET, CONSUMER-ID, HOST, CLIENT-ID]. */
async function toolOwners(lab: LabStatus, group: string): Promise<Map<string, string[]>> {
  const stdout = await consumerGroups(lab, ['--describe', '--group', group]);
  return new Map(
    describeRows(stdout, group)
      .filter((cols) => cols.length === 9)
      .map((cols) => [`${cols[1]}/${cols[2]}`, [cols[3]!, cols[6]!, cols[7]!, cols[8]!]]),
  );
}

async function lagRows(group: string): Promise<LagRow[]> {
  const result = await mirrorwatch(['lag', '--json', '--cluster', 'target', '--group', group, ...LAB]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as LagRow[];
}

function ourOwners(rows: LagRow[]): Map<string, string[]> {
  return new Map(
    rows.map((r) => [
      `${r.topic}/${r.partition}`,
      [String(r.currentOffset ?? '-'), r.consumerId ?? '-', r.host ?? '-', r.clientId ?? '-'],
    ]),
  );
}

async function statusGroup(group: string): Promise<StatusGroup | undefined> {
  const result = await mirrorwatch(['status', '--json', ...LAB]);
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  const doc = JSON.parse(result.stdout) as { groups: StatusGroup[] };
  return doc.groups.find((g) => g.cluster === 'target' && g.group === group);
}

/** Commits offset 0 on topic1 for a group that has none: a classic group without members. */
async function commitEarliest(lab: LabStatus, group: string): Promise<void> {
  await consumerGroups(lab, [
    '--reset-offsets',
    '--to-earliest',
    '--execute',
    '--group',
    group,
    '--topic',
    'topic1',
  ]);
}

function consoleConsumerArgs(lab: LabStatus, group: string, protocol: Protocol, extra: string[]): string[] {
  return [
    '--bootstrap-server',
    lab.target.bootstrap,
    '--topic',
    'topic1',
    '--group',
    group,
    '--consumer-property',
    `group.protocol=${protocol}`,
    ...extra,
  ];
}

/** A console consumer kept running in the background; it commits nothing, so its group keeps a lag. */
function startConsumer(lab: LabStatus, group: string, protocol: Protocol): ChildProcess {
  const extra = ['--consumer-property', 'enable.auto.commit=false'];
  const java = ['-Xmx200m', '-cp', `${lab.kafkaLibDir}/*`, CONSOLE_CONSUMER];
  return spawn('java', [...java, ...consoleConsumerArgs(lab, group, protocol, extra)], { stdio: 'ignore' });
}

/** Reads one record and exits, committing on close: leaves an Empty group of that protocol. */
async function leaveEmptyGroup(lab: LabStatus, group: string, protocol: Protocol): Promise<void> {
  const extra = ['--from-beginning', '--max-messages', '1'];
  const result = await kafkaTool(
    lab.kafkaLibDir,
    CONSOLE_CONSUMER,
    consoleConsumerArgs(lab, group, protocol, extra),
  );
  assert.equal(result.code, 0, result.stderr);
}

function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    child.once('exit', () => resolvePromise());
    child.kill('SIGTERM');
  });
}

/** Requests the target read cost in `--debug` (the fewest of two runs: a metadata refresh adds one). */
async function targetRequests(): Promise<number> {
  const counts: number[] = [];
  for (let i = 0; i < 2; i++) {
    const result = await mirrorwatch(['lag', '--json', '--cluster', 'target', '--debug', ...LAB]);
    assert.equal(result.code, 0, result.stderr);
    const match = /debug: refresh #\d+: \d+ requests \(target (\d+)/.exec(result.stderr);
    assert.ok(match, result.stderr);
    counts.push(Number(match[1]));
  }
  return Math.min(...counts);
}

describe('KIP-848 consumer groups on the Kafka 4 target', () => {
  const kip848 = uniqueValue('kip848');
  const classic = uniqueValue('classic');
  let lab: LabStatus;
  let kip848Consumer: ChildProcess | null = null;
  let classicConsumer: ChildProcess | null = null;
  const emptyGroups: Array<[string, Protocol]> = [
    [uniqueValue('kip848-empty'), 'consumer'],
    [uniqueValue('kip848-empty'), 'consumer'],
    [uniqueValue('classic-empty'), 'classic'],
    [uniqueValue('classic-empty'), 'classic'],
  ];

  before(async () => {
    lab = await sharedLab();
    await Promise.all([commitEarliest(lab, kip848), commitEarliest(lab, classic)]);
    kip848Consumer = startConsumer(lab, kip848, 'consumer');
    classicConsumer = startConsumer(lab, classic, 'classic');
    await eventually(
      'both console consumers to own topic1',
      async () =>
        (await toolMembers(lab, kip848)).length === 1 && (await toolMembers(lab, classic)).length === 1,
      90_000,
      2000,
    );
  });

  after(async () => {
    await Promise.all([stop(kip848Consumer), stop(classicConsumer)]);
    // Leave the shared lab as it was (best effort: a group whose member is still leaving stays).
    const groups = [kip848, classic, ...emptyGroups.map(([g]) => g)].flatMap((g) => ['--group', g]);
    await kafkaTool(lab.kafkaLibDir, GROUP_COMMAND, [
      '--bootstrap-server',
      lab.target.bootstrap,
      '--delete',
      ...groups,
    ]);
  });

  it('reads a live KIP-848 group as kafka-consumer-groups does: state, members, owners', async () => {
    await eventually(
      'mirrorwatch and kafka-consumer-groups to agree on the KIP-848 group',
      async () => {
        const expected = await toolState(lab, kip848);
        assert.deepEqual(expected, { state: 'Stable', members: 1 });
        const status = await statusGroup(kip848);
        assert.deepEqual(
          { protocol: status?.protocol, state: status?.state, members: status?.members },
          { protocol: 'consumer', ...expected },
        );
        const rows = await lagRows(kip848);
        assert.ok(rows.length > 0 && rows.every((r) => r.protocol === 'consumer'));
        assert.deepEqual(ourOwners(rows), await toolOwners(lab, kip848));
        const [member] = await toolMembers(lab, kip848);
        assert.deepEqual(
          [...new Set(rows.map((r) => [r.consumerId, r.host, r.clientId].join(' ')))],
          [member!.slice(0, 3).join(' ')],
        );
        return true;
      },
      60_000,
      3000,
    );
  });

  it('still reads a classic group on the same cluster, with protocol classic', async () => {
    await eventually(
      'mirrorwatch and kafka-consumer-groups to agree on the classic group',
      async () => {
        const expected = await toolState(lab, classic);
        assert.deepEqual(expected, { state: 'Stable', members: 1 });
        const status = await statusGroup(classic);
        assert.deepEqual(
          { protocol: status?.protocol, state: status?.state, members: status?.members },
          { protocol: 'classic', ...expected },
        );
        const rows = await lagRows(classic);
        assert.ok(rows.length > 0 && rows.every((r) => r.protocol === 'classic'));
        assert.deepEqual(ourOwners(rows), await toolOwners(lab, classic));
        return true;
      },
      60_000,
      3000,
    );
  });

  it("names every group's protocol as kafka-consumer-groups --list --type does", async () => {
    const listed = await consumerGroups(lab, ['--list', '--type']);
    const types = new Map(
      listed
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter((cols) => cols.length === 2)
        .map(([group, type]) => [group!, type!.toLowerCase()]),
    );
    const result = await mirrorwatch(['lag', '--json', '--cluster', 'target', ...LAB]);
    assert.equal(result.code, 0, result.stderr);
    const ours = new Map((JSON.parse(result.stdout) as LagRow[]).map((r) => [r.group, r.protocol]));
    assert.equal(types.get(kip848), 'consumer');
    assert.equal(types.get(classic), 'classic');
    // MM2's synced groups (protocol type empty) are classic too.
    assert.equal(ours.get('apache-logs-indexer'), 'classic');
    assert.deepEqual(ours, new Map([...types].filter(([group]) => ours.has(group))));
    assert.ok(ours.size >= 4);
  });

  it('costs no request per KIP-848 group: one ConsumerGroupDescribe per coordinator', async () => {
    const [kip848A, kip848B, classicA, classicB] = emptyGroups;
    const base = await targetRequests();
    await leaveEmptyGroup(lab, ...kip848A!);
    await leaveEmptyGroup(lab, ...kip848B!);
    const withKip848 = await targetRequests();
    await leaveEmptyGroup(lab, ...classicA!);
    await leaveEmptyGroup(lab, ...classicB!);
    const withClassic = await targetRequests();
    // Requests are batched per coordinator: two more groups of either protocol add none, or one where a
    // coordinator gets its first group of that kind (never one per group).
    assert.ok(withKip848 - base <= 1, `${base} → ${withKip848} → ${withClassic}`);
    assert.ok(withClassic - withKip848 <= 1, `${base} → ${withKip848} → ${withClassic}`);
  });

  it('shows the state kafka-consumer-groups shows once the consumer stops (Empty)', async () => {
    await stop(kip848Consumer);
    await eventually(
      'the KIP-848 group to be Empty on both tools',
      async () => {
        const expected = await toolState(lab, kip848);
        assert.deepEqual(expected, { state: 'Empty', members: 0 });
        const status = await statusGroup(kip848);
        assert.deepEqual(
          { protocol: status?.protocol, state: status?.state, members: status?.members },
          { protocol: 'consumer', ...expected },
        );
        const rows = await lagRows(kip848);
        assert.deepEqual(ourOwners(rows), await toolOwners(lab, kip848));
        assert.ok(rows.every((r) => r.consumerId === null));
        return true;
      },
      60_000,
      3000,
    );
  });
});
