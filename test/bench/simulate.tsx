/**
 * `npm run simulate`: past what this machine's lab can hold. A synthetic migration of 100,000
 * partitions a side and 10,000 consumer groups goes through what a refresh computes (the poller's
 * join, `assembleSnapshot`, with MM2's positions, metrics and checkpoints) and through the console's
 * Topics and Groups panes rendered by Ink, refresh after refresh with offsets moving. Prints the
 * CPU time per refresh and the resident memory, and exits 1 when a budget of issue 7 is exceeded
 * (250 ms per refresh, 400 MB resident).
 * Usage: npm run simulate [-- --partitions N --groups G --refreshes R]
 */
import { readFileSync } from 'node:fs';
import { render } from 'ink-testing-library';
import { CheckpointStore } from '../../source/mm2/checkpoint-store.js';
import { isMm2SampleName, type PartitionMetrics } from '../../source/mm2/mm2-metrics.js';
import { PrometheusParser, parsePrometheusText } from '../../source/mm2/prometheus.js';
import { encodeCheckpointKey, encodeCheckpointValue } from '../../source/mm2/records.js';
import { GroupPartitionsBuilder } from '../../source/model/group-partitions.js';
import { appendSnapshot, emptyOffsetHistory } from '../../source/model/offset-history.js';
import { partitionKey } from '../../source/model/partition-key.js';
import { NO_TIMINGS, partitionTimings } from '../../source/model/replication-timing.js';
import { assembleSnapshot, type SnapshotParts } from '../../source/monitor/assemble-snapshot.js';
import type { Mm2InternalState } from '../../source/monitor/read-mm2-internal.js';
import type {
  ClusterRole,
  ClusterView,
  DataSourceHealth,
  DataSourceName,
  GroupInfo,
  Snapshot,
  TopicInfo,
} from '../../source/monitor/snapshot.js';
import { App } from '../../source/ui/App.js';
import { convergenceOf } from '../../source/ui/panes/convergence-model.js';
import { applyConsoleHeapGrowth } from '../../source/util/heap-growth.js';
import { NO_TRANSLATIONS } from '../helpers/group-partitions.js';
import { FakeActions, FakeFeed, pause } from '../ui/fixtures.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`simulate: --${name} takes a whole number >= 1\n`);
    process.exit(2);
  }
  return value;
}

const PARTITIONS = arg('partitions', 100_000);
const GROUPS = arg('groups', 10_000);
const REFRESHES = arg('refreshes', 20);
const PARTITIONS_PER_TOPIC = 100;
const PARTITIONS_PER_GROUP = 10;
const TOPICS = Math.ceil(PARTITIONS / PARTITIONS_PER_TOPIC);
const BUDGET_MS = 250;
const BUDGET_RSS_MB = 400;
const COLUMNS = 200;
const ROWS = 50;

/**
 * Names made once, as the readers share them: a topic's name is one string for every group that
 * commits on it (OffsetFetchGroupCache); a checkpoint's group and topic are the CheckpointStore's, one
 * per group and topic. Made per partition, they were 900,000 strings of the heap.
 */
const topicNames = Array.from({ length: TOPICS }, (_, t) => `orders-${String(t).padStart(5, '0')}`);
const groupNames = Array.from({ length: GROUPS }, (_, g) => `service-${String(g).padStart(5, '0')}`);
const topicName = (t: number) => topicNames[Math.floor(t)] as string;
const groupName = (g: number) => groupNames[g] as string;

/** Log end of a partition at refresh `r`: most partitions move, a tenth is idle, one topic in 50 lags. */
function logEnd(t: number, p: number, r: number): number {
  const base = 1_000_000 + ((t * 7919 + p * 104_729) % 500_000);
  return (t + p) % 10 === 0 ? base : base + r * (50 + ((t * 31 + p) % 200));
}

function mm2Position(t: number, p: number, r: number): number {
  return logEnd(t, p, r) - 1 - (t % 50 === 0 ? 5_000 + r * 100 : (p % 3) * 7);
}

function cluster(role: ClusterRole, r: number, groups: GroupInfo[]): ClusterView {
  const topics: TopicInfo[] = [];
  for (let t = 0; t < TOPICS; t++) {
    const partitions = [];
    let span = 0;
    for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
      const latest = role === 'source' ? logEnd(t, p, r) : mm2Position(t, p, r) + 1;
      const earliest = Math.floor(latest / 10);
      span += latest - earliest;
      partitions.push({ partition: p, leader: (p % 3) + 1, replicas: 3, isr: 3, earliest, latest });
    }
    topics.push({ name: topicName(t), internal: false, replicationFactor: 3, partitions, records: span });
  }
  return {
    role,
    alias: role === 'source' ? 'old' : 'new',
    bootstrap: [role === 'source' ? 'old-1:9092' : 'new-1:9092'],
    clusterId: `${role}-cluster`,
    controllerId: 1,
    brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: `${role}-${nodeId}`, port: 9092 })),
    version: role === 'source' ? '3.9' : '4.x',
    topics,
    groups,
  };
}

function groups(role: ClusterRole, r: number): GroupInfo[] {
  const out: GroupInfo[] = [];
  for (let g = 0; g < GROUPS; g++) {
    // Two members, each object shared by the partitions it owns, as read-cluster.ts builds them.
    const members = [0, 1].map((m) => ({ memberId: `m-${g}-${m}`, clientId: `c-${g}`, host: '/10.0.0.1' }));
    const t = g % TOPICS;
    const first = (Math.floor(g / TOPICS) * PARTITIONS_PER_GROUP) % PARTITIONS_PER_TOPIC;
    let total = 0;
    const partitions = new GroupPartitionsBuilder<{ memberId: string; clientId: string; host: string }>();
    for (let i = 0; i < PARTITIONS_PER_GROUP; i++) {
      const p = first + i;
      const end = role === 'source' ? logEnd(t, p, r) : mm2Position(t, p, r) + 1;
      const committed = end - (g % 20 === 0 ? 2_000 + r * 50 : g % 4);
      total += end - committed;
      // As read-cluster.ts builds them (columns; LAG worked out from the offsets).
      partitions.add(
        topicName(t),
        p,
        committed,
        end,
        false,
        role === 'source' ? (members[i % 2] ?? null) : null,
      );
    }
    out.push({
      cluster: role,
      group: groupName(g),
      state: role === 'source' ? 'Stable' : 'Empty',
      protocolType: 'consumer',
      protocol: 'classic',
      members: role === 'source' ? 2 : 0,
      partitions: partitions.build(),
      totalLag: total,
      translations: NO_TRANSLATIONS,
    });
  }
  return out;
}

/**
 * MM2's checkpoints as the console holds them: each record written as MM2 writes it and applied to the
 * poller's CheckpointStore (its structures are part of the console's memory), which hands them out by group.
 */
const checkpointStore = new CheckpointStore();

function checkpoints(r: number, now: number): Mm2InternalState['checkpoints'] {
  for (let g = 0; g < GROUPS; g++) {
    const t = g % TOPICS;
    const first = (Math.floor(g / TOPICS) * PARTITIONS_PER_GROUP) % PARTITIONS_PER_TOPIC;
    for (let i = 0; i < PARTITIONS_PER_GROUP; i++) {
      const upstream = logEnd(t, first + i, r) - 10;
      checkpointStore.apply(
        encodeCheckpointKey({ group: groupName(g), topic: topicName(t), partition: first + i }),
        encodeCheckpointValue({ upstreamOffset: upstream, downstreamOffset: upstream }),
        now - 5_000,
      );
    }
  }
  return checkpointStore.checkpoints();
}

function metricPartitions(r: number): PartitionMetrics[] {
  const out: PartitionMetrics[] = [];
  for (let t = 0; t < TOPICS; t++)
    for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
      const idle = (t + p) % 10 === 0;
      out.push({
        source: 'old',
        target: 'new',
        topic: topicName(t),
        partition: p,
        recordCount: logEnd(t, p, r),
        windowed: true,
        ...(idle ? {} : { recordAgeMsMax: 20 + (p % 40), replicationLatencyMsMax: 10 + (t % 30) }),
      });
    }
  return out;
}

function health(now: number): Record<DataSourceName, DataSourceHealth> {
  const names: DataSourceName[] = ['source', 'target', 'mm2-internal', 'metrics', 'connect'];
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        name,
        label: name,
        configured: true,
        ok: true,
        lastSuccessMs: now,
        lastError: null,
        lastErrorMs: null,
        requests: 12,
        durationMs: 300,
      },
    ]),
  ) as Record<DataSourceName, DataSourceHealth>;
}

/** The inputs of refresh `r`: what the sources would have read (built outside the timed part). */
/**
 * MM2 emits checkpoints every 60 s by default (emit.checkpoints.interval.seconds), 30 refreshes at 2 s:
 * the poller hands out the same list until one changes. Here a new list on the first refresh and on one
 * measured refresh (three quarters in), so the worst refresh includes indexing them.
 */
let checkpointList: Mm2InternalState['checkpoints'] = new Map();

/**
 * The metrics scrape runs on its own cadence: at this size the exporter's page takes seconds to render,
 * and a scrape starts at most every twice its duration (poller.ts). Here a scrape every 5 refreshes.
 */
const SCRAPE_EVERY = 5;

function partsOf(r: number, now: number, metrics: PartitionMetrics[]) {
  if (r === 0 || r === Math.floor((REFRESHES * 3) / 4)) checkpointList = checkpoints(r, now);
  const positions = new Map<string, number | null>();
  for (let t = 0; t < TOPICS; t++)
    // Keys as the readers build them (partition-key.ts).
    for (let p = 0; p < PARTITIONS_PER_TOPIC; p++)
      positions.set(partitionKey(topicName(t), p), mm2Position(t, p, r));
  const parts: SnapshotParts = {
    seq: r + 1,
    takenAtMs: now,
    startedAtMs: now - 300,
    connection: {
      source: {
        role: 'source',
        alias: 'old',
        bootstrap: ['old-1:9092'],
      } as SnapshotParts['connection']['source'],
      target: {
        role: 'target',
        alias: 'new',
        bootstrap: ['new-1:9092'],
      } as SnapshotParts['connection']['target'],
      policy: { kind: 'identity', separator: '.' },
      flow: null,
      connectUrl: 'http://connect:8083',
    },
    source: cluster('source', r, groups('source', r)),
    target: cluster('target', r, groups('target', r)),
    internal: {
      heartbeats: [],
      checkpoints: checkpointList,
      positions: new Map(),
      positionsTopic: null,
    },
    connect: { connectors: [], positions, requests: 3 },
    metrics: { partitions: metrics, connectors: [], families: [], totalRecordCount: 0 },
    health: health(now),
    timings: NO_TIMINGS,
    dataEnds: new Map(),
    metricsHistory: [],
  };
  return parts;
}

async function frameAfter(frames: string[], seen: number): Promise<void> {
  for (let i = 0; i < 10_000 && frames.length === seen; i++) await new Promise((r) => setImmediate(r));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * An exporter page of `partitions` MM2 partitions (about 1.5 KB of text each, as the lab's JMX
 * exporter writes them, with JVM and Connect families around), parsed whole as before and streamed in
 * 64 KB chunks keeping MM2's samples only, as the poller scrapes now.
 */
function scrapeParse(partitions: number): string {
  const attributes = ['record_count', 'record_age_ms', 'record_age_ms_max', 'replication_latency_ms'];
  const lines: string[] = [];
  for (let i = 0; i < 200; i++) lines.push(`jvm_memory_pool_bytes_used{pool="pool-${i}",} ${i}.0`);
  for (const a of attributes) {
    lines.push(`# TYPE kafka_connect_mirror_mirrorsourceconnector_${a} gauge`);
    for (let i = 0; i < partitions; i++)
      lines.push(
        `kafka_connect_mirror_mirrorsourceconnector_${a}{partition="${i % 100}",source="old",target="new",topic="${topicName(i / 100)}",} ${i}.0`,
      );
  }
  for (let i = 0; i < partitions * 8; i++)
    lines.push(
      `kafka_producer_topic_metrics_record_send_total{client_id="p",topic="${topicName(i / 800)}",} ${i}.0`,
    );
  const text = lines.join('\n');
  const cpu = (work: () => void) => {
    const c = process.cpuUsage();
    work();
    const u = process.cpuUsage(c);
    return (u.user + u.system) / 1000;
  };
  const whole = cpu(() => parsePrometheusText(text));
  const page = Buffer.from(text);
  const chunks = (each: (chunk: Buffer) => void) => {
    for (let i = 0; i < page.length; i += 65_536) each(page.subarray(i, i + 65_536));
  };
  // As read-endpoints.ts read the page before 2026-11-27: each chunk decoded, then parsed as text.
  const decoded = cpu(() => {
    const parser = new PrometheusParser({ keepSample: isMm2SampleName });
    const decoder = new TextDecoder();
    chunks((chunk) => parser.push(decoder.decode(chunk, { stream: true })));
    parser.end();
  });
  const bytes = cpu(() => {
    const parser = new PrometheusParser({ keepSample: isMm2SampleName });
    chunks((chunk) => parser.pushBytes(chunk));
    parser.end();
  });
  return (
    `  metrics page of ${partitions} partitions (${(page.length / 1024 / 1024).toFixed(1)} MB): parsed whole ${whole.toFixed(0)} ms; ` +
    `streamed keeping MM2's samples: decoded then parsed ${decoded.toFixed(0)} ms, parsed as bytes ${bytes.toFixed(0)} ms (CPU)\n`
  );
}

/**
 * CPU time of the main thread alone, in ms (Linux: its schedstat), or null where it cannot be read.
 * process.cpuUsage counts every thread: V8's garbage collection helpers and its optimizing compiler
 * too, which run beside the main thread (on another core when there is one).
 */
function mainThreadMs(): number | null {
  try {
    const ns = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
    // A kernel without scheduler statistics writes zeros.
    return Number.isFinite(ns) && ns > 0 ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

/** Whether the process has gone quiet: under 10 % of a core over 20 ms. Resolves with the wait, in ms. */
async function settled(): Promise<number> {
  const start = Date.now();
  for (let i = 0; i < 100; i++) {
    const before = process.cpuUsage();
    await pause(20);
    const used = process.cpuUsage(before);
    if (used.user + used.system < 2_000) break;
  }
  return Date.now() - start;
}

const settleMs: number[] = [];

async function main(): Promise<number> {
  // As the console runs (cli/commands/console.ts).
  applyConsoleHeapGrowth();
  process.stdout.write(
    `simulate: ${TOPICS * PARTITIONS_PER_TOPIC} partitions a side in ${TOPICS} topics, ${GROUPS} groups a side ` +
      `(${PARTITIONS_PER_GROUP} partitions each), ${REFRESHES} refreshes, Ink at ${COLUMNS}x${ROWS}\n`,
  );
  const startNow = Date.now();
  const feed = new FakeFeed(null);
  const app = render(
    <App
      feed={feed}
      actions={new FakeActions()}
      readOnly={false}
      color={true}
      rows={ROWS}
      columns={COLUMNS}
      ascii={false}
      now={() => startNow}
      header={{ origin: 'simulation' }}
      onQuit={() => undefined}
    />,
  );
  await pause(50);
  const rows: Array<{
    pane: string;
    scrape: boolean;
    assembleMs: number;
    historyMs: number;
    evaluateMs: number;
    renderMs: number;
    totalMs: number;
    mainMs: number | null;
  }> = [];
  let history = emptyOffsetHistory();
  let previous: PartitionMetrics[] | null = null;
  let metrics: PartitionMetrics[] = [];
  let timings = NO_TIMINGS;
  let peakRss = 0;
  let last: Snapshot | null = null;
  for (let r = 0; r < REFRESHES; r++) {
    const pane = r < REFRESHES / 2 ? 'Topics' : 'Groups';
    if (r === Math.floor(REFRESHES / 2)) {
      app.stdin.write('2');
      await pause(50);
    }
    const now = startNow + r * 2000;
    const scrape = r % SCRAPE_EVERY === 0;
    const listBefore = checkpointList;
    if (scrape) {
      previous = r === 0 ? null : metrics;
      metrics = metricPartitions(r);
    }
    const parts = partsOf(r, now, metrics);
    // The inputs stand for what the sources read off the wire; their garbage is collected here, before
    // the timed part, which then pays for its own (npm run simulate runs with --expose-gc). V8 sweeps
    // what a full collection freed on helper threads after it returns: the timed part starts once they
    // are done, or their sweep of the inputs' garbage would be counted as the join's (CPU time counts
    // every thread).
    globalThis.gc?.();
    settleMs.push(await settled());
    // Timed: what a refresh computes once the sources have answered, then Ink's frame.
    // CPU time, not wall time: on a shared 2-core machine the wall clock measures the neighbours.
    // As the poller: the join, then the offset history appended; the panes evaluate convergence once
    // per snapshot (cached), timed here on its own before Ink draws.
    const main0 = mainThreadMs();
    const c0 = process.cpuUsage();
    // A new scrape: the poller computes the partitions' timings once per scrape.
    if (scrape) timings = partitionTimings(metrics, previous);
    // The poller keeps the scrape before only while it computes the timings (metricsBefore, poller.ts).
    previous = null;
    parts.timings = timings;
    const built = assembleSnapshot(parts);
    const c1 = process.cpuUsage(c0);
    history = appendSnapshot(history, built);
    last = { ...built, offsetHistory: history };
    const c2 = process.cpuUsage(c0);
    convergenceOf(last).mirror();
    const c3 = process.cpuUsage(c0);
    const seen = app.frames.length;
    feed.push(last);
    await frameAfter(app.frames, seen);
    // And the render that lets React drop the snapshot before (useReleasePreviousRender, ui/hooks.ts).
    await frameAfter(app.frames, seen + 1);
    const c4 = process.cpuUsage(c0);
    const main4 = mainThreadMs();
    const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    rows.push({
      pane,
      scrape: scrape || checkpointList !== listBefore,
      assembleMs: ms(c1),
      historyMs: ms(c2) - ms(c1),
      evaluateMs: ms(c3) - ms(c2),
      renderMs: ms(c4) - ms(c3),
      totalMs: ms(c4),
      mainMs: main0 !== null && main4 !== null ? main4 - main0 : null,
    });
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const frame = app.lastFrame() ?? '';
  app.unmount();
  const rssMb = peakRss / 1024 / 1024;
  for (const pane of ['Topics', 'Groups']) {
    const of = rows.slice(1).filter((row) => row.pane === pane); // the first refresh warms the JIT
    const plain = of.filter((o) => !o.scrape);
    const scraped = of.filter((o) => o.scrape);
    process.stdout.write(
      `  ${pane.padEnd(6)} pane: per refresh median ${median(plain.map((o) => o.totalMs)).toFixed(0)} ms ` +
        `(join ${median(plain.map((o) => o.assembleMs)).toFixed(0)} ms, offset history ${median(plain.map((o) => o.historyMs)).toFixed(0)} ms, ` +
        `MM2 convergence ${median(plain.map((o) => o.evaluateMs)).toFixed(0)} ms, Ink frame ${median(plain.map((o) => o.renderMs)).toFixed(0)} ms)` +
        (scraped.length > 0
          ? `; with a new scrape or checkpoints ${scraped.map((o) => o.totalMs.toFixed(0)).join(', ')} ms (join ${scraped.map((o) => o.assembleMs.toFixed(0)).join(', ')} ms)`
          : '') +
        `; worst ${Math.max(...of.map((o) => o.totalMs)).toFixed(0)} ms\n`,
    );
  }
  const mains = rows.slice(1).map((row) => row.mainMs);
  if (mains.every((m) => m !== null))
    process.stdout.write(
      `  of which on the main thread: median ${median(mains).toFixed(0)} ms, worst ${Math.max(...mains).toFixed(0)} ms ` +
        "(the rest is V8's collector and compiler threads; the budget counts every thread)\n",
    );
  process.stdout.write(
    `  peak resident memory ${rssMb.toFixed(0)} MB; waited ${median(settleMs).toFixed(0)} ms (median) after each ` +
      `collection of the inputs for V8's sweeper threads to finish\n`,
  );
  process.stdout.write(scrapeParse(5_000));
  const worst = Math.max(...rows.slice(1).map((row) => row.totalMs));
  const sane =
    last !== null &&
    last.mirror.topics.length === TOPICS &&
    last.source.groups.length === GROUPS &&
    /service-\d{5}/.test(frame);
  if (!sane) {
    process.stderr.write('simulate: the snapshot or the Groups pane is not what was simulated\n');
    return 1;
  }
  const ok = worst <= BUDGET_MS && rssMb <= BUDGET_RSS_MB;
  process.stdout.write(
    `  budget ${BUDGET_MS} ms per refresh, ${BUDGET_RSS_MB} MB resident: ${ok ? 'met' : 'EXCEEDED'}\n`,
  );
  return ok ? 0 : 1;
}

process.exitCode = await main();
