/**
 * The write side of the end-to-end probe (`--probe TOPIC`): a producer on the source that writes one
 * marker record at a time to a fixed partition; and the wiring of the probe for a connection.
 */
import type { Producer } from 'kafkajs';
import type { Connection } from '../config/connection.js';
import { remoteTopicName } from '../config/replication-policy.js';
import { createKafka } from '../kafka/client.js';
import { describeKafkaError } from '../kafka/errors.js';
import { WireCluster } from '../kafka/wire-cluster.js';
import { Probe, type ProbeRecord, type ProbeSender } from '../monitor/probe.js';
import type { ClusterRole } from '../monitor/snapshot.js';

export class KafkaProbeSender implements ProbeSender {
  private producer: Producer | null = null;

  constructor(private readonly connection: Connection) {}

  async send(topic: string, partition: number, record: ProbeRecord): Promise<void> {
    if (!this.producer) {
      const c = this.connection.source;
      const kafka = createKafka(
        { name: 'source', brokers: c.bootstrap, security: c.security },
        'mirrorwatch-probe',
        { retries: 1 },
      );
      // Never create the topic: a typo must not leave a topic on the operator's cluster.
      this.producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
      await this.producer.connect();
    }
    await this.producer.send({
      topic,
      acks: -1,
      messages: [{ partition, key: record.key, value: record.value, timestamp: String(record.timestampMs) }],
    });
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect();
  }
}

/** A probe of `topic` (source-side name) over the connection's flow, with its own connections. */
export function probeFor(connection: Connection, topic: string, intervalMs: number): Probe {
  const wire = (role: ClusterRole) =>
    new WireCluster(
      { name: role, brokers: connection[role].bootstrap, security: connection[role].security },
      `mirrorwatch-probe-${role}`,
      { connectionTimeoutMs: 5000, requestTimeoutMs: 10_000, retries: 1 },
    );
  const scrub = (text: string) =>
    connection.secrets.reduce((out, secret) => (secret ? out.split(secret).join('***') : out), text);
  return new Probe({
    topic,
    targetTopic: remoteTopicName(connection.policy, connection.source.alias, topic),
    sender: new KafkaProbeSender(connection),
    source: wire('source'),
    target: wire('target'),
    intervalMs,
    describeError: (error, role) =>
      scrub(describeKafkaError(error, `probe: ${role} cluster`, connection[role].bootstrap)),
  });
}
