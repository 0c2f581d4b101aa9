/**
 * Topics shaped like production ones, beside the seed topics: one per compression codec, a topic
 * written by a transactional producer that commits and aborts, and a compacted topic whose keys are
 * updated. `lab up` creates and seeds them (also on a lab seeded before they existed); the lab's
 * traffic keeps writing to them.
 */
import { CompressionTypes, type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';

export const CODEC_TOPICS = [
  { topic: 'codec-gzip', codec: 'gzip', compression: CompressionTypes.GZIP },
  { topic: 'codec-snappy', codec: 'snappy', compression: CompressionTypes.Snappy },
  { topic: 'codec-lz4', codec: 'lz4', compression: CompressionTypes.LZ4 },
  { topic: 'codec-zstd', codec: 'zstd', compression: CompressionTypes.ZSTD },
] as const;

export const TXN_TOPIC = 'txn-orders';
export const COMPACTED_TOPIC = 'customers';
/** The transactional id of the lab's transactional producer (one at a time: seeding, then traffic). */
export const TXN_ID = 'mirrorwatch-lab-orders';

const PARTITIONS = 3;
const SEED_RECORDS_PER_CODEC = 200;
const SEED_TRANSACTIONS = 12;
const CUSTOMERS = 20;

/**
 * Topic-level settings: the codec topics keep their codec on the broker (`compression.type`), which
 * MM2 copies to the mirror with the other topic configs, so the target's broker writes MM2's records
 * with that codec too (Java's framing). The compacted topic rolls a segment every 10 s and cleans at
 * the slightest dirt, so compaction happens while the lab runs.
 */
export const WORKLOAD_TOPICS: Array<{ topic: string; configs: Record<string, string> }> = [
  ...CODEC_TOPICS.map((t) => ({ topic: t.topic, configs: { 'compression.type': t.codec } })),
  { topic: TXN_TOPIC, configs: {} },
  {
    topic: COMPACTED_TOPIC,
    configs: {
      'cleanup.policy': 'compact',
      'segment.ms': '10000',
      'min.cleanable.dirty.ratio': '0.01',
      'min.compaction.lag.ms': '0',
      'delete.retention.ms': '10000',
    },
  },
];

/** An order line; `n` makes every record distinct. */
export function orderRecord(n: number, state: 'committed' | 'aborted'): Message {
  const order = `order-${n}`;
  return { key: order, value: JSON.stringify({ order, amount: (n * 37) % 500, state }) };
}

/** The next version of a customer record: keys repeat, so compaction keeps the newest per key. */
export function customerRecord(n: number): Message {
  const id = `customer-${n % CUSTOMERS}`;
  return {
    key: id,
    value: JSON.stringify({
      id,
      version: Math.floor(n / CUSTOMERS),
      tier: ['bronze', 'silver', 'gold'][n % 3],
    }),
  };
}

export function codecRecord(codec: string, n: number): Message {
  return { key: `${codec}-${n % 50}`, value: `${codec} record ${n} ${'payload '.repeat(4 + (n % 8))}` };
}

/** A transactional producer for txn-orders (idempotent, as transactions require). */
export function transactionalProducer(kafka: Kafka): Producer {
  return kafka.producer({
    transactionalId: TXN_ID,
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
}

/** One transaction of two order lines, committed unless every third one, which is aborted. */
export async function writeOrderTransaction(producer: Producer, n: number): Promise<'committed' | 'aborted'> {
  const outcome = n % 3 === 2 ? 'aborted' : 'committed';
  const transaction = await producer.transaction();
  try {
    await transaction.send({
      topic: TXN_TOPIC,
      acks: -1,
      messages: [orderRecord(2 * n, outcome), orderRecord(2 * n + 1, outcome)],
    });
    if (outcome === 'aborted') await transaction.abort();
    else await transaction.commit();
  } catch (error) {
    await transaction.abort().catch(() => {});
    throw error;
  }
  return outcome;
}

async function seedWorkloadTopic(kafka: Kafka, topic: string): Promise<void> {
  const codec = CODEC_TOPICS.find((t) => t.topic === topic);
  if (topic === TXN_TOPIC) {
    const producer = transactionalProducer(kafka);
    await producer.connect();
    try {
      for (let n = 0; n < SEED_TRANSACTIONS; n++) await writeOrderTransaction(producer, n);
    } finally {
      await producer.disconnect();
    }
    return;
  }
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    if (codec) {
      const messages = Array.from({ length: SEED_RECORDS_PER_CODEC }, (_, n) => codecRecord(codec.codec, n));
      await producer.send({ topic, acks: -1, compression: codec.compression, messages });
    } else {
      const messages = Array.from({ length: CUSTOMERS * 3 }, (_, n) => customerRecord(n));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Creates the workload topics missing on the source and seeds each one it created. */
export async function ensureWorkloadTopics(kafka: Kafka, replicationFactor = 1): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  let created: string[];
  try {
    const existing = new Set(await admin.listTopics());
    const missing = WORKLOAD_TOPICS.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: PARTITIONS,
        replicationFactor,
        configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      })),
    });
    created = missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
  for (const topic of created) await seedWorkloadTopic(kafka, topic);
  return created;
}
