/** The lab's two Kafka clusters (KRaft): their plans, storage, brokers, and how to reach them. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedSecurity } from '../config/client-properties.js';
import { type ClusterEndpoint, createKafka } from '../kafka/client.js';
import { readPassword, SCRAM_MECHANISM, type SecureMaterial } from './certificates.js';
import { brokerProperties, renderProperties, zooKeeperBrokerProperties } from './config-files.js';
import { LabError } from './errors.js';
import { kafkaLibDir } from './jars.js';
import { brokerHeapArgs, exec, javaArgs, marker } from './jvm.js';
import { brokerPortOf, type LabPaths, TARGET_KAFKA_VERSION } from './layout.js';
import { isOurProcess, startDetached, waitFor } from './processes.js';
import {
  brokerComponent,
  brokerHeapOf,
  brokersOf,
  type ClusterName,
  type ExtraBroker,
  type LabRecord,
  labReplicationFactor,
  sourceKafkaVersion,
  sourceUsesZooKeeper,
  zookeeperPortOf,
} from './record.js';

export function bootstrapOf(port: number): string {
  return `127.0.0.1:${port}`;
}

/** One broker of a lab cluster: node 1 is also the cluster's KRaft controller. */
export interface BrokerPlan {
  cluster: ClusterName;
  nodeId: number;
  /** The process component (`source`, `source-2`, ...). */
  component: ClusterName | ExtraBroker;
  /** `source broker`, `source broker 2`: for messages. */
  label: string;
  version: string;
  dir: string;
  brokerPort: number;
  /** The controller's port (node 1's). */
  controllerPort: number;
  secure?: SecureMaterial;
  internalPort: number;
  replicationFactor: number;
  heap: string;
  /** ZooKeeper port of a ZooKeeper-mode broker (2.8 source); absent: KRaft. */
  zookeeperPort?: number;
}

/** Every broker of both clusters, node 1 first in each. */
export function brokerPlans(record: LabRecord, paths: LabPaths, secure?: SecureMaterial): BrokerPlan[] {
  const brokers = brokersOf(record.settings);
  const plans: BrokerPlan[] = [];
  for (const cluster of ['source', 'target'] as const) {
    for (let nodeId = 1; nodeId <= brokers; nodeId++) {
      const base = cluster === 'source' ? record.ports.sourceBroker : record.ports.targetBroker;
      const brokerPort = brokerPortOf(base, nodeId);
      const clusterSecure = cluster === 'target' ? secure : undefined;
      plans.push({
        cluster,
        nodeId,
        component: brokerComponent(cluster, nodeId),
        label: nodeId === 1 && brokers === 1 ? `${cluster} broker` : `${cluster} broker ${nodeId}`,
        version: cluster === 'source' ? sourceKafkaVersion(record.settings) : TARGET_KAFKA_VERSION,
        // Node 1 keeps the cluster's directory, so labs made before several brokers keep their data.
        dir: nodeId === 1 ? paths[cluster] : join(paths[cluster], `broker-${nodeId}`),
        brokerPort,
        controllerPort: cluster === 'source' ? record.ports.sourceController : record.ports.targetController,
        internalPort: clusterSecure ? brokerPortOf(record.ports.targetInternal, nodeId) : brokerPort,
        replicationFactor: labReplicationFactor(record.settings),
        heap: brokerHeapOf(record.settings),
        ...(clusterSecure ? { secure: clusterSecure } : {}),
        ...(cluster === 'source' && sourceUsesZooKeeper(record.settings)
          ? { zookeeperPort: zookeeperPortOf(record.ports) }
          : {}),
      });
    }
  }
  return plans;
}

export async function formatStorage(
  plan: BrokerPlan,
  libDir: string,
  clusterId: string,
  stateDir: string,
): Promise<void> {
  const dataDir = join(plan.dir, 'data');
  if (existsSync(join(dataDir, 'meta.properties'))) return;
  const args = [marker(stateDir), '-cp', `${libDir}/*`, 'kafka.tools.StorageTool', 'format', '-t', clusterId];
  args.push('-c', join(plan.dir, 'server.properties'));
  if (plan.secure)
    args.push(
      '--add-scram',
      `${SCRAM_MECHANISM}=[name=${plan.secure.username},password=${readPassword(plan.secure)}]`,
    );
  try {
    await exec('java', [`-Dlog4j2.configurationFile=${join(plan.dir, 'log4j2.properties')}`, ...args]);
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    const why = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim().split('\n').pop() ?? '';
    throw new LabError(
      `formatting the ${plan.label}'s storage failed: ${why.replaceAll(readPasswordSafe(plan), '***')}`,
    );
  }
}

export function readPasswordSafe(plan: BrokerPlan): string {
  return plan.secure ? readPassword(plan.secure) : '\u0000';
}

export function endpointFor(
  record: LabRecord,
  paths: LabPaths,
  cluster: 'source' | 'target',
): ClusterEndpoint {
  const base = cluster === 'source' ? record.ports.sourceBroker : record.ports.targetBroker;
  const brokers = Array.from({ length: brokersOf(record.settings) }, (_, i) =>
    bootstrapOf(brokerPortOf(base, i + 1)),
  );
  if (cluster === 'source') return { name: 'source', brokers };
  if (!record.settings.secure) return { name: 'target', brokers };
  const caFile = join(paths.secure, 'ca.pem');
  const security: ResolvedSecurity = {
    protocol: 'SASL_SSL',
    sasl: {
      mechanism: 'scram-sha-512',
      username: 'mirrorwatch',
      password: readPassword({ passwordFile: join(paths.secure, 'password') }),
    },
    ssl: { ca: [readFileSync(caFile, 'utf8')], rejectUnauthorized: true, checkHostname: true },
  };
  return { name: 'target', brokers, security };
}

/** Plaintext bootstrap of the target that MM2 and the lab's own checks use (the internal listener in secure mode). */
export function targetInternalBootstrap(record: LabRecord): string {
  const base = record.settings.secure ? record.ports.targetInternal : record.ports.targetBroker;
  return Array.from({ length: brokersOf(record.settings) }, (_, i) =>
    bootstrapOf(brokerPortOf(base, i + 1)),
  ).join(',');
}

/** Bootstrap of every broker of the source. */
export function sourceBootstrap(record: LabRecord): string {
  return Array.from({ length: brokersOf(record.settings) }, (_, i) =>
    bootstrapOf(brokerPortOf(record.ports.sourceBroker, i + 1)),
  ).join(',');
}

/** The broker answers and knows of `atLeast` live brokers in its cluster. */
export async function brokerAnswers(endpoint: ClusterEndpoint, atLeast = 1): Promise<boolean | undefined> {
  const admin = createKafka(endpoint, 'mirrorwatch-lab', {
    connectionTimeoutMs: 2000,
    requestTimeoutMs: 5000,
    retries: 0,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length >= atLeast ? true : undefined;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export async function startBroker(
  plan: BrokerPlan,
  record: LabRecord,
  paths: LabPaths,
  jarCache: string,
): Promise<number> {
  const libDir = kafkaLibDir(jarCache, plan.version);
  mkdirSync(join(plan.dir, 'data'), { recursive: true });
  const props = plan.zookeeperPort
    ? zooKeeperBrokerProperties({
        nodeId: plan.nodeId,
        replicationFactor: plan.replicationFactor,
        brokerPort: plan.brokerPort,
        zookeeperPort: plan.zookeeperPort,
        dataDir: join(plan.dir, 'data'),
      })
    : brokerProperties({
        nodeId: plan.nodeId,
        replicationFactor: plan.replicationFactor,
        brokerPort: plan.brokerPort,
        controllerPort: plan.controllerPort,
        dataDir: join(plan.dir, 'data'),
        ...(plan.secure
          ? {
              secure: {
                keystorePem: plan.secure.keystorePem,
                internalPort: plan.internalPort,
                username: plan.secure.username,
                password: readPassword(plan.secure),
              },
            }
          : {}),
      });
  writeFileSync(
    join(plan.dir, 'server.properties'),
    renderProperties(props, `mirrorwatch lab ${plan.label}`),
    {
      mode: 0o600,
    },
  );
  const logFile = join(plan.dir, 'server.log');
  const args = javaArgs(paths.stateDir, libDir, plan.version, logFile, brokerHeapArgs(plan.heap));
  if (!plan.zookeeperPort) await formatStorage(plan, libDir, record.clusterIds[plan.cluster], paths.stateDir);
  const started = startDetached('java', [...args, 'kafka.Kafka', join(plan.dir, 'server.properties')], {
    cwd: plan.dir,
    log: join(plan.dir, 'stdout.log'),
  });
  return started.pid;
}

/** Waits until the broker answers on its own port and its cluster has `atLeast` brokers. */
export async function waitForBroker(
  plan: BrokerPlan,
  record: LabRecord,
  paths: LabPaths,
  timeoutMs: number,
  atLeast = 1,
): Promise<void> {
  const pid = record.pids[plan.component];
  const endpoint = { ...endpointFor(record, paths, plan.cluster), brokers: [bootstrapOf(plan.brokerPort)] };
  await waitFor(
    async () => {
      if (!isOurProcess(pid, marker(paths.stateDir))) {
        const log = join(plan.dir, 'server.log');
        const why = lastErrorLine(log);
        throw new LabError(`the ${plan.label} exited during start${why ? ` (${why})` : ''}: see ${log}`);
      }
      return brokerAnswers(endpoint, atLeast);
    },
    {
      timeoutMs,
      intervalMs: 1000,
      onTimeout: () =>
        new LabError(
          `the ${plan.label} did not answer on ${endpoint.brokers[0]} in time: see ${join(plan.dir, 'server.log')}`,
        ),
    },
  ).catch((error: unknown) => {
    if (error instanceof LabError) throw error;
    throw new LabError(`the ${plan.label} failed: see ${join(plan.dir, 'server.log')}`);
  });
}

/** The last ERROR or exception line of a log (a port already in use, say), cut to one short line. */
function lastErrorLine(file: string): string | null {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!;
      if (/\bERROR\b|Exception:/.test(line)) return line.replace(/\s+/g, ' ').trim().slice(0, 200);
    }
  } catch {
    // no log yet
  }
  return null;
}
