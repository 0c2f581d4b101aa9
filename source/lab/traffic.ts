import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Producer } from 'kafkajs';
import { createKafka } from '../kafka/client.js';
import { endpointFor } from './clusters.js';
import { labPaths } from './layout.js';
import { readLabRecord } from './record.js';
import { SEED_GROUPS, seedMessages } from './seed.js';
import {
  CODEC_TOPICS,
  COMPACTED_TOPIC,
  codecRecord,
  customerRecord,
  transactionalProducer,
  writeOrderTransaction,
} from './workload.js';

/** Topics that get live traffic. topic2 is left alone: its 20,000 records are a fixed reference count. */
const LIVE_TOPICS = ['topic1', 'DmmAccess', 'apache-logs'];

/** One write a second, in turn: each codec topic, a customer update, a transaction (committed or aborted). */
const WORKLOAD_STEPS = CODEC_TOPICS.length + 2;
const WORKLOAD_INTERVAL_MS = 1000;

/**
 * Runs until SIGTERM: a low-rate producer on the source (a few records a second), a consumer in the
 * caught-up group so that it stays caught up, as a live application would, and about one write a
 * second to the workload topics (codecs, transactions, compacted updates).
 */
export async function runTraffic(stateDir: string, ratePerSecond = 5): Promise<void> {
  const paths = labPaths(stateDir);
  const record = readLabRecord(paths.labFile);
  if (!record) throw new Error(`no lab in ${stateDir}`);
  const kafka = createKafka(endpointFor(record, paths, 'source'), 'mirrorwatch-lab-traffic', { retries: 5 });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  const consumer = kafka.consumer({
    groupId: SEED_GROUPS.caughtUp,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
  });
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const transactions = transactionalProducer(kafka);
  await producer.connect();
  await transactions.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: 'DmmAccess', fromBeginning: false });
  await consumer.run({ autoCommitInterval: 1000, eachMessage: async () => {} });

  const workload = (async () => {
    for (let step = 0; !stopping; step++) {
      await writeWorkloadStep(producer, transactions, step).catch((error: Error) => {
        process.stderr.write(`${new Date().toISOString()} workload write failed: ${error.message}\n`);
      });
      await sleep(WORKLOAD_INTERVAL_MS);
    }
  })();

  let sequence = 100_000;
  while (!stopping) {
    const topic = LIVE_TOPICS[sequence % LIVE_TOPICS.length] ?? 'topic1';
    try {
      await producer.send({ topic, messages: seedMessages(topic, 1, sequence) });
    } catch (error) {
      process.stderr.write(`${new Date().toISOString()} produce failed: ${(error as Error).message}\n`);
      await sleep(2000);
    }
    sequence++;
    await sleep(1000 / ratePerSecond);
  }
  await workload;
  await consumer.disconnect().catch(() => {});
  await transactions.disconnect().catch(() => {});
  await producer.disconnect().catch(() => {});
}

async function writeWorkloadStep(producer: Producer, transactions: Producer, step: number): Promise<void> {
  const round = 1000 + Math.floor(step / WORKLOAD_STEPS);
  const kind = step % WORKLOAD_STEPS;
  const codec = CODEC_TOPICS[kind];
  if (codec) {
    await producer.send({
      topic: codec.topic,
      compression: codec.compression,
      messages: [codecRecord(codec.codec, round)],
    });
  } else if (kind === CODEC_TOPICS.length) {
    await producer.send({ topic: COMPACTED_TOPIC, messages: [customerRecord(round)] });
  } else {
    await writeOrderTransaction(transactions, round);
  }
}
