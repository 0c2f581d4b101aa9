/** The runbook's reads beyond the snapshot: topic configs on both clusters and the newest source writes. */
import type { Connection } from '../config/connection.js';
import { WireCluster } from '../kafka/wire-cluster.js';
import { readNewestWrites } from '../monitor/read-newest-writes.js';
import { readConfigDrift } from '../monitor/read-topic-configs.js';
import type { Snapshot } from '../monitor/snapshot.js';
import type { CutoverReads } from './types.js';

export async function readCutoverInputs(connection: Connection, snapshot: Snapshot): Promise<CutoverReads> {
  const wire = (role: 'source' | 'target') =>
    new WireCluster(
      { name: role, brokers: connection[role].bootstrap, security: connection[role].security },
      `mirrorwatch-runbook-${role}`,
      { retries: 1, connectionTimeoutMs: 5000, requestTimeoutMs: 10_000 },
    );
  const source = wire('source');
  const target = wire('target');
  try {
    const mirrored = new Set(snapshot.mirror.topics.map((t) => t.source));
    const [newestWrites, configDrift] = await Promise.all([
      readNewestWrites(
        source,
        snapshot.source.topics.filter((t) => mirrored.has(t.name)),
      ),
      readConfigDrift(source.kafka, target.kafka, snapshot.mirror.topics),
    ]);
    return { newestWrites, configDrift };
  } finally {
    await Promise.all([source.disconnect(), target.disconnect()]);
  }
}
