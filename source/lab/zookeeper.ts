/** The ZooKeeper of a 2.8 source (`lab up --source-version 2.8`), run from the Kafka 2.8 jars. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ClusterEndpoint, createKafka } from '../kafka/client.js';
import { isListening } from '../util/listening.js';
import { renderProperties, zooKeeperProperties } from './config-files.js';
import { LabError } from './errors.js';
import { kafkaLibDir } from './jars.js';
import { javaArgs, marker } from './jvm.js';
import { type LabPaths, LEGACY_SOURCE_KAFKA_VERSION } from './layout.js';
import { isOurProcess, startDetached, waitFor } from './processes.js';
import { type LabRecord, zookeeperPortOf } from './record.js';

const ZOOKEEPER_HEAP = ['-Xms32m', '-Xmx256m'];

export function startZooKeeper(record: LabRecord, paths: LabPaths, jarCache: string): number {
  const dataDir = join(paths.zookeeper, 'data');
  mkdirSync(dataDir, { recursive: true });
  const configFile = join(paths.zookeeper, 'zookeeper.properties');
  writeFileSync(
    configFile,
    renderProperties(
      zooKeeperProperties(dataDir, zookeeperPortOf(record.ports)),
      'mirrorwatch lab ZooKeeper',
    ),
  );
  const libDir = kafkaLibDir(jarCache, LEGACY_SOURCE_KAFKA_VERSION);
  const logFile = join(paths.zookeeper, 'zookeeper.log');
  const args = javaArgs(paths.stateDir, libDir, LEGACY_SOURCE_KAFKA_VERSION, logFile, ZOOKEEPER_HEAP);
  return startDetached('java', [...args, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', configFile], {
    cwd: paths.zookeeper,
    log: join(paths.zookeeper, 'stdout.log'),
  }).pid;
}

export async function waitForZooKeeper(record: LabRecord, paths: LabPaths, timeoutMs: number): Promise<void> {
  const port = zookeeperPortOf(record.ports);
  await waitFor(
    async () => {
      if (!isOurProcess(record.pids.zookeeper, marker(paths.stateDir)))
        throw new LabError(`ZooKeeper exited during start: see ${join(paths.zookeeper, 'zookeeper.log')}`);
      return (await isListening(port)) ? true : undefined;
    },
    {
      timeoutMs,
      intervalMs: 500,
      onTimeout: () =>
        new LabError(
          `ZooKeeper did not listen on ${port} in time: see ${join(paths.zookeeper, 'zookeeper.log')}`,
        ),
    },
  );
}

/**
 * A ZooKeeper-mode broker creates and loads __consumer_offsets on the first coordinator lookup, which
 * takes longer than a client's retries on a small machine: wait for it before the seed commits offsets.
 */
export async function waitForGroupCoordinator(endpoint: ClusterEndpoint, timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      const admin = createKafka(endpoint, 'mirrorwatch-lab').admin();
      try {
        await admin.connect();
        await admin.describeGroups(['mirrorwatch-lab-probe']);
        return true;
      } catch {
        return undefined;
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
    {
      timeoutMs,
      intervalMs: 1000,
      onTimeout: () => new LabError('the source broker has no group coordinator in time: see its server.log'),
    },
  );
}
