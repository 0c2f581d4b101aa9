/**
 * `lab scale`: load that looks like a real migration, added to a running lab. Topics `scale-NNN`,
 * records spread evenly over their partitions, and groups `scale-group-NNNN` with committed offsets
 * (half of each partition read, so every group has lag). Idempotent for topics and groups; records
 * are added on every run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Message, Partitioners } from 'kafkajs';
import { createKafka } from '../kafka/client.js';
import { WireCluster } from '../kafka/wire-cluster.js';
import { endpointFor } from './clusters.js';
import { LabError } from './errors.js';
import { type LabContext, labPaths } from './layout.js';
import { labReplicationFactor, readLabRecord } from './record.js';

export interface ScaleOptions {
  topics: number;
  partitions: number;
  groups: number;
  records: number;
}

export function scaleTopicName(i: number): string {
  return `scale-${String(i).padStart(3, '0')}`;
}

export function scaleGroupName(i: number): string {
  return `scale-group-${String(i).padStart(4, '0')}`;
}

/** Runs `work` over `items`, at most `width` at a time. */
async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}

const RECORD_BATCH = 5000;

export async function labScale(
  context: LabContext,
  options: ScaleOptions,
  log: (line: string) => void = () => {},
): Promise<void> {
  const paths = labPaths(context.stateDir);
  const record = readLabRecord(paths.labFile);
  if (!record) throw new LabError(`no lab in ${paths.stateDir}: run 'mirrorwatch lab up'`);
  const endpoint = endpointFor(record, paths, 'source');
  const kafka = createKafka(endpoint, 'mirrorwatch-lab-scale', { retries: 5, requestTimeoutMs: 60_000 });
  const admin = kafka.admin();
  const wire = new WireCluster(endpoint, 'mirrorwatch-lab-scale', { retries: 5, requestTimeoutMs: 60_000 });
  const topics = Array.from({ length: options.topics }, (_, i) => scaleTopicName(i));
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    const replicationFactor = labReplicationFactor(record.settings);
    for (let i = 0; i < missing.length; i += 25) {
      const batch = missing.slice(i, i + 25);
      log(
        `creating ${batch.length} topic(s) of ${options.partitions} partitions (${i + batch.length}/${missing.length})`,
      );
      // Waiting for the leaders can fail the same way on thousands of new partitions: asked again, the
      // topics that exist already are left as they are.
      await whileLeadershipSettles(() =>
        admin.createTopics({
          waitForLeaders: true,
          timeout: 60_000,
          topics: batch.map((topic) => ({ topic, numPartitions: options.partitions, replicationFactor })),
        }),
      );
    }
    if (options.records > 0 && topics.length > 0) await produceSpread(kafka, topics, options, log);

    const ends = new Map<string, Array<{ partition: number; offset: number }>>();
    for (const topic of topics.slice(0, Math.min(topics.length, options.groups))) {
      const offsets = await whileBusy(() => admin.fetchTopicOffsets(topic));
      ends.set(
        topic,
        offsets.map((p) => ({ partition: p.partition, offset: Math.floor(Number(p.high) / 2) })),
      );
    }
    const groups = Array.from({ length: options.groups }, (_, i) => i);
    let done = 0;
    await inParallel(groups, 20, async (i) => {
      const topic = topics[i % topics.length];
      if (!topic) return;
      const offsets = (ends.get(topic) ?? []).map((o) => ({ topic, ...o }));
      // The same offsets committed again change nothing, so a commit that timed out is sent again.
      await whileBusy(() => wire.commitOffsets(scaleGroupName(i), offsets));
      done++;
      if (done % 250 === 0 || done === groups.length)
        log(`committed offsets of ${done}/${groups.length} group(s)`);
    });
  } catch (error) {
    if (error instanceof LabError) throw error;
    throw new LabError(`lab scale failed: ${(error as Error)?.message ?? String(error)}`);
  } finally {
    await admin.disconnect().catch(() => {});
    await wire.disconnect();
  }
}

/**
 * Runs `send` until it succeeds or a minute passed: a topic just created is
 * reported with its leaders before every leader took its partitions ("This server does not host this
 * topic-partition"), longer than the client's own retries wait.
 */
async function whileLeadershipSettles<T>(send: () => Promise<T>, patienceMs = 60_000): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      return await send();
    } catch (error) {
      const retriable =
        (error as { retriable?: boolean }).retriable === true || /leader|host this/i.test(String(error));
      if (!retriable || Date.now() > deadline) throw error;
      await sleep(1000);
    }
  }
}

/**
 * Three brokers a side taking on thousands of new partitions (and MM2 mirroring them) can keep a small
 * machine so busy that a request times out after its 60 s (measured: `lab scale --groups 1000` on
 * `--brokers 3` failed at its 751st commit); requests that are safe to repeat get five minutes.
 */
function whileBusy<T>(send: () => Promise<T>): Promise<T> {
  return whileLeadershipSettles(send, 5 * 60_000);
}

async function produceSpread(
  kafka: ReturnType<typeof createKafka>,
  topics: string[],
  options: ScaleOptions,
  log: (line: string) => void,
): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const slots = topics.length * options.partitions;
    for (let sent = 0; sent < options.records; ) {
      const count = Math.min(RECORD_BATCH, options.records - sent);
      const byTopic = new Map<string, Message[]>();
      for (let n = 0; n < count; n++) {
        const slot = (sent + n) % slots;
        const topic = topics[Math.floor(slot / options.partitions)] as string;
        const messages = byTopic.get(topic) ?? [];
        messages.push({
          partition: slot % options.partitions,
          key: `k${sent + n}`,
          value: `scale record ${sent + n} ${'x'.repeat(64)}`,
        });
        byTopic.set(topic, messages);
      }
      const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      await whileLeadershipSettles(() => producer.sendBatch({ acks: 1, topicMessages }));
      sent += count;
      if (sent % 50_000 === 0 || sent === options.records)
        log(`produced ${sent}/${options.records} record(s)`);
    }
  } finally {
    await producer.disconnect();
  }
}
