/** The lab's two Kafka clusters (KRaft): their plans, storage, brokers, and how to reach them. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedSecurity } from '../config/client-properties.js';
import { type ClusterEndpoint, createKafka } from '../kafka/client.js';
import { readPassword, SCRAM_MECHANISM, type SecureMaterial } from './certificates.js';
import { brokerProperties, renderProperties } from './config-files.js';
import { LabError } from './errors.js';
import { kafkaLibDir } from './jars.js';
import { exec, JVM_HEAP, javaArgs, marker } from './jvm.js';
import { type LabPaths, SOURCE_KAFKA_VERSION, TARGET_KAFKA_VERSION } from './layout.js';
import { isOurProcess, startDetached, waitFor } from './processes.js';
import type { LabRecord } from './record.js';

export function bootstrapOf(port: number): string {
  return `127.0.0.1:${port}`;
}

export interface ClusterPlan {
  name: 'source' | 'target';
  version: string;
  dir: string;
  brokerPort: number;
  controllerPort: number;
  secure?: SecureMaterial;
  internalPort: number;
}

export function clusterPlans(record: LabRecord, paths: LabPaths, secure?: SecureMaterial): ClusterPlan[] {
  return [
    {
      name: 'source',
      version: SOURCE_KAFKA_VERSION,
      dir: paths.source,
      brokerPort: record.ports.sourceBroker,
      controllerPort: record.ports.sourceController,
      internalPort: record.ports.sourceBroker,
    },
    {
      name: 'target',
      version: TARGET_KAFKA_VERSION,
      dir: paths.target,
      brokerPort: record.ports.targetBroker,
      controllerPort: record.ports.targetController,
      internalPort: secure ? record.ports.targetInternal : record.ports.targetBroker,
      ...(secure ? { secure } : {}),
    },
  ];
}

export async function formatStorage(
  plan: ClusterPlan,
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
      `formatting the ${plan.name} broker's storage failed: ${why.replaceAll(readPasswordSafe(plan), '***')}`,
    );
  }
}

export function readPasswordSafe(plan: ClusterPlan): string {
  return plan.secure ? readPassword(plan.secure) : '\u0000';
}

export function endpointFor(
  record: LabRecord,
  paths: LabPaths,
  cluster: 'source' | 'target',
): ClusterEndpoint {
  if (cluster === 'source') return { name: 'source', brokers: [bootstrapOf(record.ports.sourceBroker)] };
  const brokers = [bootstrapOf(record.ports.targetBroker)];
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
  return bootstrapOf(record.settings.secure ? record.ports.targetInternal : record.ports.targetBroker);
}

export async function brokerAnswers(endpoint: ClusterEndpoint): Promise<boolean | undefined> {
  const admin = createKafka(endpoint, 'mirrorwatch-lab', {
    connectionTimeoutMs: 2000,
    requestTimeoutMs: 5000,
    retries: 0,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 ? true : undefined;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export async function startBroker(
  plan: ClusterPlan,
  record: LabRecord,
  paths: LabPaths,
  jarCache: string,
): Promise<number> {
  const libDir = kafkaLibDir(jarCache, plan.version);
  mkdirSync(join(plan.dir, 'data'), { recursive: true });
  const props = brokerProperties({
    nodeId: 1,
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
    renderProperties(props, `mirrorwatch lab ${plan.name} broker`),
    {
      mode: 0o600,
    },
  );
  const logFile = join(plan.dir, 'server.log');
  const args = javaArgs(paths.stateDir, libDir, plan.version, logFile, JVM_HEAP.broker);
  await formatStorage(plan, libDir, record.clusterIds[plan.name], paths.stateDir);
  const started = startDetached('java', [...args, 'kafka.Kafka', join(plan.dir, 'server.properties')], {
    cwd: plan.dir,
    log: join(plan.dir, 'stdout.log'),
  });
  return started.pid;
}

export async function waitForBroker(
  plan: ClusterPlan,
  record: LabRecord,
  paths: LabPaths,
  timeoutMs: number,
): Promise<void> {
  const pid = record.pids[plan.name];
  const endpoint = endpointFor(record, paths, plan.name);
  await waitFor(
    async () => {
      if (!isOurProcess(pid, marker(paths.stateDir))) {
        throw new LabError(
          `the ${plan.name} broker exited during start: see ${join(plan.dir, 'server.log')}`,
        );
      }
      return brokerAnswers(endpoint);
    },
    {
      timeoutMs,
      intervalMs: 1000,
      onTimeout: () =>
        new LabError(
          `the ${plan.name} broker did not answer on ${endpoint.brokers[0]} in time: see ${join(plan.dir, 'server.log')}`,
        ),
    },
  ).catch((error: unknown) => {
    if (error instanceof LabError) throw error;
    throw new LabError(`the ${plan.name} broker failed: see ${join(plan.dir, 'server.log')}`);
  });
}
