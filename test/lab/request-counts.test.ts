/**
 * Requests grow with brokers, not with groups: on the lab scaled to 40 groups and then to 80, the
 * requests of one refresh, per API and per cluster, stay the same (counts, never times). A one-shot
 * command always refreshes with a cold coordinator cache, so it also shows that the first refresh
 * asks FindCoordinator once per cluster rather than once per group. Request counts come from
 * `--debug`; the lag the batched OffsetFetch reads is checked against kafka-consumer-groups.
 * Scaling leaves topics and lagging groups behind, so this runs on a lab of its own: the shared lab
 * stays as the other suites expect it (a screenful of topics, groups that can catch up).
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LagRow } from '../../source/cli/commands/lag.js';
import { resolveConnection } from '../../source/config/connection.js';
import { findLab, type LabStatus } from '../../source/lab/lab-status.js';
import { Poller } from '../../source/monitor/poller.js';
import { consumerGroupsTool, type GroupRows, lagRowsLikeTool } from '../helpers/consumer-groups.js';
import { eventually, labStatusOf } from '../helpers/lab.js';
import { mirrorwatch } from '../helpers/run.js';

const STATE_DIR = join(tmpdir(), `mirrorwatch-test-request-counts-${process.pid}`);
const LAB = ['--lab', STATE_DIR];
const ROLES = ['source', 'target'] as const;
type Role = (typeof ROLES)[number];
type Counts = Record<Role, Record<string, number>>;

/** The budget: requests of one refresh per broker, both clusters and all APIs together. */
const MAX_REQUESTS_PER_BROKER = 15;

async function scale(groups: number): Promise<void> {
  const result = await mirrorwatch([
    'lab',
    'scale',
    '--state-dir',
    STATE_DIR,
    '--topics',
    '10',
    '--partitions',
    '10',
    '--groups',
    String(groups),
    '--records',
    '10000',
  ]);
  assert.equal(result.code, 0, result.stderr);
  // MM2 creates the new topics on the target as it discovers them: measure once all of them are
  // there and both clusters read cleanly (a leader still moving costs a retried ListOffsets).
  await eventually(
    'MM2 to create the scale topics on the target, and both clusters to read cleanly',
    async () => {
      const topics = await mirrorwatch(['topics', '--json', '--cluster', 'target', ...LAB]);
      const names = (JSON.parse(topics.stdout) as Array<{ topic: string }>).map((t) => t.topic);
      const scaled = names.filter((n) => /^scale-\d{3}$/.test(n)).length;
      return scaled >= 10 && (await mirrorwatch(['lag', '--json', ...LAB])).code === 0;
    },
    180_000,
    2000,
  );
}

/** `debug:   source 10: Metadata 1, ListOffsets 2, ...` lines -> requests per API per cluster. */
function parseDebug(stderr: string): Counts {
  const counts: Counts = { source: {}, target: {} };
  for (const role of ROLES) {
    const line = new RegExp(`^debug: {3}${role} (\\d+): (.*)$`, 'm').exec(stderr);
    assert.ok(line, `--debug prints the ${role} requests per API:\n${stderr}`);
    for (const part of line[2]!.split(', ')) {
      const [api, n] = part.split(' ');
      counts[role][api!] = Number(n);
    }
    const sum = Object.values(counts[role]).reduce((a, b) => a + b, 0);
    assert.equal(sum, Number(line[1]), `the ${role} per-API counts add up to its total`);
  }
  return counts;
}

/** Per API, the fewest of several runs: a metadata refresh kafkajs decides on its own adds one. */
function fewest(runs: Counts[]): Counts {
  const result: Counts = { source: {}, target: {} };
  for (const role of ROLES)
    for (const run of runs)
      for (const [api, n] of Object.entries(run[role]))
        result[role][api] = Math.min(result[role][api] ?? Number.POSITIVE_INFINITY, n);
  return result;
}

async function commandCounts(command: string[]): Promise<{ counts: Counts; stdout: string }> {
  const result = await mirrorwatch([...command, '--debug', ...LAB]);
  // status says degraded (1) while MM2 has not yet created the topics `lab scale` just added: the
  // requests it cost are what is measured here, not the verdict.
  assert.ok(result.code === 0 || (command[0] === 'status' && result.code === 1), result.stderr);
  return { counts: parseDebug(result.stderr), stdout: result.stdout };
}

/**
 * Two refreshes of one poller: the first with a cold cache, the second steady. `newGroups` says, per
 * cluster, whether groups appeared between the two (MM2 creates the scale groups on the target as it
 * syncs their offsets): only those need a coordinator lookup the second time.
 */
async function pollerCounts(): Promise<{ cold: Counts; steady: Counts; newGroups: Record<Role, boolean> }> {
  const poller = new Poller({ connection: resolveConnection({ lab: STATE_DIR }, findLab) });
  try {
    const snapshots = [await poller.refresh(), await poller.refresh()];
    const [cold, steady] = snapshots.map((s) => {
      for (const role of ROLES) assert.ok(s.health[role].ok, s.health[role].lastError ?? role);
      return {
        source: { ...s.health.source.requestsByApi },
        target: { ...s.health.target.requestsByApi },
      };
    });
    const groupsOf = (i: number, role: Role) => new Set(snapshots[i]![role].groups.map((g) => g.group));
    const appeared = (role: Role) => [...groupsOf(1, role)].some((g) => !groupsOf(0, role).has(g));
    return {
      cold: cold!,
      steady: steady!,
      newGroups: { source: appeared('source'), target: appeared('target') },
    };
  } finally {
    await poller.stop();
  }
}

function brokersOf(lab: LabStatus, role: Role): number {
  return Math.max(1, lab[role].brokers.length);
}

function assertBounded(lab: LabStatus, counts: Counts, what: string): void {
  let total = 0;
  for (const role of ROLES) {
    const brokers = brokersOf(lab, role);
    const c = counts[role];
    total += Object.values(c).reduce((a, b) => a + b, 0);
    // At most one batched lookup per broker asked (one here), never one per group.
    assert.ok((c.FindCoordinator ?? 0) <= 1, `${what}: ${role} FindCoordinator ${c.FindCoordinator}`);
    // One OffsetFetch per coordinator (250 groups per request; fewer groups than that here).
    assert.ok((c.OffsetFetch ?? 0) <= brokers, `${what}: ${role} OffsetFetch ${c.OffsetFetch}`);
    assert.ok((c.DescribeGroups ?? 0) <= brokers, `${what}: ${role} DescribeGroups ${c.DescribeGroups}`);
  }
  const brokers = brokersOf(lab, 'source') + brokersOf(lab, 'target');
  assert.ok(
    total <= MAX_REQUESTS_PER_BROKER * brokers,
    `${what}: ${total} requests for ${brokers} brokers: ${JSON.stringify(counts)}`,
  );
}

function scaleGroupsOnly(rows: GroupRows): GroupRows {
  return new Map([...rows].filter(([key]) => key.startsWith('scale-group-')));
}

/** lag --json rows of the scale groups equal kafka-consumer-groups --describe --all-groups', row for row. */
async function lagMatchesTool(lab: LabStatus, groups: number): Promise<void> {
  await eventually(
    'lag --json and kafka-consumer-groups to agree on the scale groups',
    async () => {
      const result = await mirrorwatch(['lag', '--json', ...LAB]);
      assert.equal(result.code, 0, result.stderr);
      const rows = JSON.parse(result.stdout) as LagRow[];
      for (const role of ROLES) {
        const tool = scaleGroupsOnly(await consumerGroupsTool(lab.kafkaLibDir, lab[role].bootstrap));
        assert.deepEqual(scaleGroupsOnly(lagRowsLikeTool(rows, role)), tool, role);
      }
      const sourceGroups = new Set(
        rows.filter((r) => r.cluster === 'source' && r.group.startsWith('scale-group-')).map((r) => r.group),
      );
      assert.equal(sourceGroups.size, groups, 'scale groups on the source');
      return true;
    },
    90_000,
    3000,
  );
}

describe('requests grow with brokers, not with groups', () => {
  let lab: LabStatus;
  const scales = [40, 80];
  const at: Record<number, { lag: Counts; status: Counts; steady: Counts }> = {};

  before(async () => {
    const up = await mirrorwatch(['lab', 'up', '--port-offset', '1500', '--state-dir', STATE_DIR], {
      timeoutMs: 600_000,
    });
    assert.equal(up.code, 0, up.stderr);
    lab = await labStatusOf(STATE_DIR);
    // A fresh lab: until MM2 syncs the seeded groups' offsets the target has no group, and a cold
    // refresh there asks FindCoordinator nothing at all. Measure once both clusters have groups.
    await eventually(
      'MM2 to sync a group to the target',
      async () => {
        const result = await mirrorwatch(['lag', '--json', '--cluster', 'target', ...LAB]);
        return result.code === 0 && (JSON.parse(result.stdout) as LagRow[]).length > 0;
      },
      180_000,
      3000,
    );
  });
  after(async () => {
    await mirrorwatch(['lab', 'reset', '--state-dir', STATE_DIR], { timeoutMs: 120_000 });
  });

  for (const step of [0, 1]) {
    const name = step === 0 ? 'at 40 groups' : 'at twice as many groups';
    it(`${name}: every refresh is bounded, the first too, and lag matches the tool`, async (t) => {
      const groups = scales[step]!;
      await scale(groups);
      const lagRuns = [await commandCounts(['lag', '--json']), await commandCounts(['lag', '--json'])];
      const statusRuns = [
        await commandCounts(['status', '--json']),
        await commandCounts(['status', '--json']),
      ];
      const { cold, steady, newGroups } = await pollerCounts();
      for (const [what, counts] of [
        ['lag --debug', lagRuns[0]!.counts],
        ['status --debug', statusRuns[0]!.counts],
        ['first refresh', cold],
        ['second refresh', steady],
      ] as const)
        assertBounded(lab, counts, `${what} at ${groups} groups`);
      for (const role of ROLES) {
        // A one-shot command starts cold: the coordinators of all groups come from one batched lookup.
        assert.equal(lagRuns[0]!.counts[role].FindCoordinator, 1, `${role} cold FindCoordinator`);
        assert.equal(cold[role].FindCoordinator, 1, `${role} cold FindCoordinator`);
        // Once known, coordinators are not asked again: only groups new since the first refresh are.
        if (!newGroups[role])
          assert.equal(steady[role].FindCoordinator, undefined, `${role} steady FindCoordinator`);
        assert.ok((steady[role].OffsetFetch ?? 0) >= 1, `${role} steady OffsetFetch`);
      }
      t.diagnostic(`${groups} groups: lag --debug ${JSON.stringify(lagRuns[0]!.counts)}`);
      t.diagnostic(`${groups} groups: steady refresh ${JSON.stringify(steady)}`);
      at[groups] = {
        lag: fewest(lagRuns.map((r) => r.counts)),
        status: fewest(statusRuns.map((r) => r.counts)),
        steady,
      };
      await lagMatchesTool(lab, groups);
    });
  }

  it('twice the groups cost no more requests, per API and per cluster', () => {
    const [small, large] = [at[scales[0]!], at[scales[1]!]];
    assert.ok(small && large, 'both scales were measured');
    for (const kind of ['lag', 'status', 'steady'] as const)
      for (const role of ROLES)
        for (const [api, n] of Object.entries(large[kind][role])) {
          const before40 = small[kind][role][api] ?? 0;
          // Metadata: kafkajs refreshes on its own schedule, once more or less in a run.
          // FindCoordinator in a steady refresh: one batch when MM2 created groups in between.
          const slack = kind === 'steady' && (api === 'Metadata' || api === 'FindCoordinator') ? 1 : 0;
          assert.ok(
            n <= before40 + slack,
            `${kind} ${role} ${api}: ${before40} at ${scales[0]} groups, ${n} at ${scales[1]}`,
          );
        }
  });
});
