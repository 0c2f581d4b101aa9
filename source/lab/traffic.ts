import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners } from 'kafkajs';
import { createKafka } from '../kafka/client.js';
import { endpointFor } from './clusters.js';
import { labPaths } from './layout.js';
import { readLabRecord } from './record.js';
import { SEED_GROUPS, seedMessages } from './seed.js';

/** Topics that get live traffic. topic2 is left alone: its 20,000 records are a fixed reference count. */
const LIVE_TOPICS = ['topic1', 'DmmAccess', 'apache-logs'];

/**
 * Runs until SIGTERM: a low-rate producer on the source (a few records a second) and a consumer in the
 * caught-up group so that it stays caught up, as a live application would.
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

  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: 'DmmAccess', fromBeginning: false });
  await consumer.run({ autoCommitInterval: 1000, eachMessage: async () => {} });

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
  await consumer.disconnect().catch(() => {});
  await producer.disconnect().catch(() => {});
}
