/** The lab's MirrorMaker 1 (`lab up --mirror mm1`): kafka.tools.MirrorMaker from the 2.8 jars, as seed 000 runs it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '../kafka/client.js';
import { packageRoot } from '../util/package-root.js';
import { endpointFor, sourceBootstrap, targetInternalBootstrap } from './clusters.js';
import {
  MM1_COMMIT_INTERVAL_MS,
  MM1_GROUP,
  MM1_INCLUDE,
  MM1_TOPICS,
  mirrorMaker1ConsumerProperties,
  mirrorMaker1ProducerProperties,
  renderProperties,
} from './config-files.js';
import { LabError } from './errors.js';
import { ensureExporterJar, kafkaLibDir } from './jars.js';
import { CONNECT_HEAP, javaArgs, marker } from './jvm.js';
import { type LabPaths, LEGACY_SOURCE_KAFKA_VERSION } from './layout.js';
import { isOurProcess, startDetached, waitFor } from './processes.js';
import { type LabRecord, labReplicationFactor } from './record.js';

export const MM1_RULES = join(packageRoot, 'source', 'lab', 'resources', 'exporter-rules-mm1.yaml');

/** The seed's manual step: MM1 does not create topics, so topic1 and topic2 must exist on the target first. */
export async function createMirrorMaker1Topics(record: LabRecord, paths: LabPaths): Promise<string[]> {
  const source = createKafka(endpointFor(record, paths, 'source'), 'mirrorwatch-lab').admin();
  const target = createKafka(endpointFor(record, paths, 'target'), 'mirrorwatch-lab').admin();
  try {
    await source.connect();
    await target.connect();
    const existing = new Set(await target.listTopics());
    const missing = MM1_TOPICS.filter((t) => !existing.has(t));
    if (missing.length === 0) return [];
    const { topics } = await source.fetchTopicMetadata({ topics: missing });
    await target.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions.length,
        replicationFactor: labReplicationFactor(record.settings),
      })),
    });
    return missing;
  } finally {
    await source.disconnect().catch(() => {});
    await target.disconnect().catch(() => {});
  }
}

export function mirrorMaker1Args(configDir: string): string[] {
  return [
    'kafka.tools.MirrorMaker',
    '--consumer.config',
    join(configDir, 'consumer.properties'),
    '--producer.config',
    join(configDir, 'producer.properties'),
    '--whitelist',
    MM1_INCLUDE,
    '--num.streams',
    '2',
    '--offset.commit.interval.ms',
    String(MM1_COMMIT_INTERVAL_MS),
  ];
}

export async function startMirrorMaker1(record: LabRecord, paths: LabPaths, jarCache: string): Promise<void> {
  const dir = paths.mm1;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'consumer.properties'),
    renderProperties(
      mirrorMaker1ConsumerProperties(sourceBootstrap(record)),
      'MirrorMaker 1 consumer (source)',
    ),
  );
  writeFileSync(
    join(dir, 'producer.properties'),
    renderProperties(
      mirrorMaker1ProducerProperties(targetInternalBootstrap(record)),
      'MirrorMaker 1 producer (target)',
    ),
  );
  const agent = `-javaagent:${await ensureExporterJar(jarCache, () => {})}=127.0.0.1:${record.ports.metrics}:${MM1_RULES}`;
  const libDir = kafkaLibDir(jarCache, LEGACY_SOURCE_KAFKA_VERSION);
  const args = javaArgs(
    paths.stateDir,
    libDir,
    LEGACY_SOURCE_KAFKA_VERSION,
    join(dir, 'mm1.log'),
    CONNECT_HEAP,
  );
  record.pids.mm1 = startDetached('java', [agent, ...args, ...mirrorMaker1Args(dir)], {
    cwd: dir,
    log: join(dir, 'stdout.log'),
  }).pid;
}

async function groupCommitted(record: LabRecord, paths: LabPaths): Promise<boolean | undefined> {
  const admin = createKafka(endpointFor(record, paths, 'source'), 'mirrorwatch-lab').admin();
  try {
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: MM1_GROUP, topics: MM1_TOPICS });
    const committed = offsets.flatMap((t) => t.partitions).filter((p) => Number(p.offset) >= 0);
    return committed.length > 0 ? true : undefined;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function producerMetricsServe(record: LabRecord): Promise<boolean | undefined> {
  const response = await fetch(`http://127.0.0.1:${record.ports.metrics}/metrics`, {
    signal: AbortSignal.timeout(3000),
  });
  return /kafka_producer_producer_metrics_record_send\{/.test(await response.text()) ? true : undefined;
}

export async function waitMirrorMaker1Healthy(record: LabRecord, paths: LabPaths, timeoutMs: number) {
  const logFile = join(paths.mm1, 'mm1.log');
  const checks: Array<[string, () => Promise<boolean | undefined>]> = [
    [`group ${MM1_GROUP} committed on the source`, () => groupCommitted(record, paths)],
    ['MM1 producer metrics served', () => producerMetricsServe(record)],
  ];
  const deadline = Date.now() + timeoutMs;
  for (const [what, check] of checks) {
    await waitFor(
      async () => {
        if (!isOurProcess(record.pids.mm1, marker(paths.stateDir)))
          throw new LabError(`MirrorMaker 1 exited: see ${logFile}`);
        return check();
      },
      {
        timeoutMs: Math.max(1000, deadline - Date.now()),
        intervalMs: 1000,
        onTimeout: () => new LabError(`lab not healthy in time: waiting for ${what}; see ${logFile}`),
      },
    );
  }
}
