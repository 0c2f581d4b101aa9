import type { Kafka, Message } from 'kafkajs';
import { Partitioners } from 'kafkajs';

/** Topics modelled on the migrations in the seeds (DC/OS topic1/topic2, the RDC/ORD DmmAccess and apache-logs). */
export const SEED_TOPICS = [
  { topic: 'topic1', numPartitions: 1, records: 300 },
  { topic: 'topic2', numPartitions: 1, records: 20_000 },
  { topic: 'DmmAccess', numPartitions: 6, records: 600 },
  { topic: 'apache-logs', numPartitions: 15, records: 900 },
] as const;

/** A group that has read part of apache-logs (lag > 0) and one that is caught up on DmmAccess. */
export const SEED_GROUPS = { lagging: 'apache-logs-indexer', caughtUp: 'dmm-access-reader' } as const;

const METHODS = ['GET', 'GET', 'GET', 'POST', 'HEAD'];
const PATHS = ['/index.html', '/Archives/edgar/data/1018724/', '/cgi-bin/browse-edgar', '/robots.txt'];

function apacheLogLine(i: number): Message {
  const ip = `10.${(i * 7) % 256}.${(i * 13) % 256}.${i % 250}`;
  const when = new Date(Date.UTC(2017, 5, 30, 0, 0, i % 3600)).toISOString();
  const line = `${ip},${when},${METHODS[i % METHODS.length]},${PATHS[i % PATHS.length]},200,${1000 + ((i * 37) % 9000)}`;
  return { key: ip, value: line };
}

function dmmAccessRecord(i: number): Message {
  const user = `user-${i % 40}`;
  return {
    key: user,
    value: JSON.stringify({ user, resource: `/dmm/${i % 17}`, granted: i % 9 !== 0, seq: i }),
  };
}

export function seedMessages(topic: string, count: number, offset = 0): Message[] {
  const messages: Message[] = [];
  for (let n = 0; n < count; n++) {
    const i = offset + n;
    if (topic === 'apache-logs') messages.push(apacheLogLine(i));
    else if (topic === 'DmmAccess') messages.push(dmmAccessRecord(i));
    else if (topic === 'topic1') messages.push({ value: `Venkata is a Champ! #${i}` });
    else messages.push({ value: String(i) }); // kafka-verifiable-producer writes the sequence number
  }
  return messages;
}

async function produceAll(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    const batchSize = 2000;
    for (let i = 0; i < messages.length; i += batchSize) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + batchSize) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Creates the seed topics on the source cluster, fills them and commits the seed groups' offsets. */
export async function seedSource(kafka: Kafka, replicationFactor = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = SEED_TOPICS.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.numPartitions,
          replicationFactor,
        })),
      });
    }
    for (const t of missing) await produceAll(kafka, t.topic, seedMessages(t.topic, t.records));

    const logs = await admin.fetchTopicOffsets('apache-logs');
    await admin.setOffsets({
      groupId: SEED_GROUPS.lagging,
      topic: 'apache-logs',
      partitions: logs.map((p) => ({
        partition: p.partition,
        offset: String(Math.floor(Number(p.high) / 2)),
      })),
    });
    const dmm = await admin.fetchTopicOffsets('DmmAccess');
    await admin.setOffsets({
      groupId: SEED_GROUPS.caughtUp,
      topic: 'DmmAccess',
      partitions: dmm.map((p) => ({ partition: p.partition, offset: p.high })),
    });
  } finally {
    await admin.disconnect();
  }
}
