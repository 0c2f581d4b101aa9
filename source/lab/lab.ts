/** The lab as a whole: `up` (clusters, seed, mirror, traffic, in that order), `down`, `reset`, `prepare`. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '../kafka/client.js';
import { isListening } from '../util/listening.js';
import { packageRoot } from '../util/package-root.js';
import { ensureSecureMaterial } from './certificates.js';
import { bootstrapOf, brokerPlans, endpointFor, startBroker, waitForBroker } from './clusters.js';
import { brokerComponents, componentPorts, ensurePortsFree, isRunning } from './components.js';
import { LabError } from './errors.js';
import { ensureExporterJar, ensureKafkaJars } from './jars.js';
import { marker, requireTool } from './jvm.js';
import {
  DEFAULT_PORTS,
  defaultJarCache,
  type LabContext,
  type LabPaths,
  LEGACY_SOURCE_KAFKA_VERSION,
  labPaths,
  type PortRange,
  parsePortRange,
  portLayoutProblem,
  portsInRange,
  portsWithOffset,
  SOURCE_KAFKA_VERSION,
  TARGET_KAFKA_VERSION,
} from './layout.js';
import { configureConnectors, startMirror, waitHealthy } from './mirror.js';
import { createMirrorMaker1Topics, startMirrorMaker1, waitMirrorMaker1Healthy } from './mirror-maker1.js';
import { startDetached, stopProcess, waitFor } from './processes.js';
import {
  brokerComponent,
  brokerHeapOf,
  brokersOf,
  type ClusterName,
  type Component,
  flowsOf,
  type LabRecord,
  type LabSettings,
  labReplicationFactor,
  mirrorComponentOf,
  mirrorKindOf,
  mm2IntervalOf,
  readLabRecord,
  sourceKafkaVersion,
  sourceUsesZooKeeper,
  sourceVersionOf,
  writeLabRecord,
} from './record.js';
import { seedSource } from './seed.js';
import { ensureWorkloadTopics } from './workload.js';
import { startZooKeeper, waitForGroupCoordinator, waitForZooKeeper } from './zookeeper.js';

export { type LabStatus, labStatus } from './lab-status.js';
export { labMirror } from './mirror.js';

export interface LabUpOptions extends LabContext {
  settings: LabSettings;
  traffic?: boolean;
  timeoutMs?: number;
}

/** A Kafka cluster id (base64url UUID). Like Kafka's Uuid.randomUuid, never one that starts with '-': the storage tool would read it as an option. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function sameSettings(a: LabSettings, b: LabSettings): boolean {
  return sameLayout(a, b) && mm2IntervalOf(a) === mm2IntervalOf(b);
}

/**
 * Settings the lab's data was made for: all but MM2's intervals, which take effect when MM2 next starts
 * (its connector configs are written then), so a stopped lab keeps its data when only they change.
 */
export function sameLayout(a: LabSettings, b: LabSettings): boolean {
  return (
    a.mm2 === b.mm2 &&
    a.secure === b.secure &&
    a.policy === b.policy &&
    a.portOffset === b.portOffset &&
    sourceVersionOf(a) === sourceVersionOf(b) &&
    mirrorKindOf(a) === mirrorKindOf(b) &&
    brokersOf(a) === brokersOf(b) &&
    brokerHeapOf(a) === brokerHeapOf(b) &&
    flowsOf(a) === flowsOf(b)
  );
}

function startTraffic(record: LabRecord, paths: LabPaths): void {
  mkdirSync(paths.traffic, { recursive: true });
  record.pids.traffic = startDetached(
    process.execPath,
    [
      join(packageRoot, 'bin', 'mirrorwatch.js'),
      'lab',
      'traffic',
      '--state-dir',
      paths.stateDir,
      `--marker=${marker(paths.stateDir)}`,
    ],
    { cwd: paths.traffic, log: join(paths.traffic, 'traffic.log') },
  ).pid;
}

/** Resolves every jar the lab runs (once; later calls read the cache). */
export async function prepareLab(log: (line: string) => void, jarCache = defaultJarCache()) {
  await requireTool(
    'java',
    ['-version'],
    'the lab runs Kafka on Java 17+ (apt-get install -y openjdk-17-jre-headless)',
  );
  log(
    `resolving Kafka ${SOURCE_KAFKA_VERSION} and ${TARGET_KAFKA_VERSION} jars (Maven, cached in ${jarCache})`,
  );
  return {
    source: await ensureKafkaJars(jarCache, SOURCE_KAFKA_VERSION, log),
    target: await ensureKafkaJars(jarCache, TARGET_KAFKA_VERSION, log),
    legacySource: await ensureKafkaJars(jarCache, LEGACY_SOURCE_KAFKA_VERSION, log),
    exporter: await ensureExporterJar(jarCache, log),
  };
}

function warnOfEphemeralPorts(record: LabRecord, log: (line: string) => void): void {
  let range: PortRange | undefined;
  try {
    range = parsePortRange(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'));
  } catch {
    return; // not Linux: nothing to read
  }
  if (!range) return;
  const ports = portsInRange(record.ports, brokersOf(record.settings), range);
  if (ports.length === 0) return;
  log(
    `warning: port(s) ${ports.join(', ')} lie in this machine's ephemeral range (${range.low}-${range.high}), where outgoing connections take local ports: a broker may fail to start with "Address already in use"; a smaller --port-offset avoids it`,
  );
}

/** Brings the lab up (or verifies it is up), waiting until it is healthy. Idempotent. */
export async function labUp(options: LabUpOptions): Promise<LabRecord> {
  const log = options.log ?? (() => {});
  const paths = labPaths(options.stateDir);
  const jarCache = options.jarCache ?? defaultJarCache();
  const timeoutMs = options.timeoutMs ?? 180_000;
  await requireTool(
    'java',
    ['-version'],
    'the lab runs Kafka on Java 17+ (apt-get install -y openjdk-17-jre-headless)',
  );

  mkdirSync(paths.stateDir, { recursive: true });
  const previous = readLabRecord(paths.labFile);
  const anyRunning =
    previous &&
    [
      ...brokerComponents(previous, 'source'),
      ...brokerComponents(previous, 'target'),
      'connect' as const,
      'mm2' as const,
      'mm1' as const,
      'zookeeper' as const,
    ].some((c) => isRunning(previous, paths.stateDir, c));
  if (previous && anyRunning && !sameSettings(previous.settings, options.settings)) {
    throw new LabError(
      `the lab in ${paths.stateDir} is running with other settings (${describeSettings(previous.settings)}): run 'mirrorwatch lab down' first`,
    );
  }
  const record: LabRecord =
    previous && sameLayout(previous.settings, options.settings)
      ? { ...previous, settings: options.settings }
      : {
          settings: options.settings,
          ports: options.settings.portOffset
            ? portsWithOffset(options.settings.portOffset)
            : { ...DEFAULT_PORTS },
          clusterIds: { source: newClusterId(), target: newClusterId() },
          pids: {},
          seeded: false,
        };
  if (previous && !sameLayout(previous.settings, options.settings)) {
    // Other settings over a stopped lab: its data was made for another layout.
    rmSync(paths.stateDir, { recursive: true, force: true });
    mkdirSync(paths.stateDir, { recursive: true });
  }

  const problem = portLayoutProblem(record.ports, brokersOf(record.settings));
  if (problem) throw new LabError(problem);
  warnOfEphemeralPorts(record, log);
  const sourceVersion = sourceKafkaVersion(options.settings);
  log(`resolving Kafka ${sourceVersion} and ${TARGET_KAFKA_VERSION} jars (Maven, cached in ${jarCache})`);
  await ensureKafkaJars(jarCache, sourceVersion, log);
  await ensureKafkaJars(jarCache, TARGET_KAFKA_VERSION, log);
  await ensureExporterJar(jarCache, log);

  if (sourceUsesZooKeeper(record.settings) && !isRunning(record, paths.stateDir, 'zookeeper')) {
    await ensurePortsFree(record, 'zookeeper', 'ZooKeeper');
    log('starting ZooKeeper for the 2.8 source');
    record.pids.zookeeper = startZooKeeper(record, paths, jarCache);
    writeLabRecord(paths.labFile, record);
    await waitForZooKeeper(record, paths, timeoutMs);
  }

  const secure = record.settings.secure ? await ensureSecureMaterial(paths.secure) : undefined;
  const plans = brokerPlans(record, paths, secure);
  for (const plan of plans) {
    if (isRunning(record, paths.stateDir, plan.component)) continue;
    await ensurePortsFree(record, plan.component, plan.label);
    log(`starting the ${plan.label} (Kafka ${plan.version}) on ${bootstrapOf(plan.brokerPort)}`);
    record.pids[plan.component] = await startBroker(plan, record, paths, jarCache);
    writeLabRecord(paths.labFile, record);
  }
  const brokers = brokersOf(record.settings);
  for (const plan of plans) await waitForBroker(plan, record, paths, timeoutMs, brokers);
  if (record.stoppedBrokers?.length) {
    record.stoppedBrokers = [];
    writeLabRecord(paths.labFile, record);
  }

  if (sourceUsesZooKeeper(record.settings))
    await waitForGroupCoordinator(endpointFor(record, paths, 'source'), timeoutMs);
  if (!record.seeded) {
    log('seeding the source cluster (topic1, topic2, DmmAccess, apache-logs, two consumer groups)');
    await seedSource(
      createKafka(endpointFor(record, paths, 'source'), 'mirrorwatch-lab-seed'),
      labReplicationFactor(record.settings),
    );
    record.seeded = true;
    writeLabRecord(paths.labFile, record);
  }
  const created = await ensureWorkloadTopics(
    createKafka(endpointFor(record, paths, 'source'), 'mirrorwatch-lab-seed'),
    labReplicationFactor(record.settings),
  );
  if (created.length > 0) log(`created and seeded ${created.join(', ')}`);

  const mirrorComponent = mirrorComponentOf(record.settings);
  if (mirrorComponent === 'mm1') {
    const created = await createMirrorMaker1Topics(record, paths);
    if (created.length > 0) log(`created ${created.join(', ')} on the target (MM1 does not create topics)`);
  }
  if (mirrorComponent === 'mm1' && !isRunning(record, paths.stateDir, 'mm1') && !record.mirrorStopped) {
    await ensurePortsFree(record, 'mm1', 'MirrorMaker 1 metrics');
    log('starting MirrorMaker 1 (kafka.tools.MirrorMaker, group mirrormaker)');
    await startMirrorMaker1(record, paths, jarCache);
    writeLabRecord(paths.labFile, record);
  } else if (
    mirrorComponent !== 'mm1' &&
    !isRunning(record, paths.stateDir, mirrorComponent) &&
    !record.mirrorStopped
  ) {
    await ensurePortsFree(
      record,
      mirrorComponent,
      mirrorComponent === 'connect' ? 'Kafka Connect' : 'MirrorMaker 2',
    );
    log(
      record.settings.mm2 === 'connect'
        ? 'starting Kafka Connect with the MM2 connectors'
        : 'starting dedicated MirrorMaker 2',
    );
    await startMirror(record, paths, jarCache);
    writeLabRecord(paths.labFile, record);
    if (record.settings.mm2 === 'connect') await configureConnectors(record, paths, timeoutMs);
  }
  if (options.traffic && !isRunning(record, paths.stateDir, 'traffic')) {
    startTraffic(record, paths);
    writeLabRecord(paths.labFile, record);
  }
  if (!record.mirrorStopped && mirrorComponent === 'mm1') {
    log('waiting until MirrorMaker 1 is healthy (committed offsets, metrics)');
    await waitMirrorMaker1Healthy(record, paths, timeoutMs);
  } else if (!record.mirrorStopped) {
    log('waiting until the mirror is healthy (connectors, heartbeats, metrics)');
    await waitHealthy(record, paths, timeoutMs);
  }
  return record;
}

function describeSettings(settings: LabSettings): string {
  return [
    `brokers=${brokersOf(settings)}`,
    `broker-heap=${brokerHeapOf(settings)}`,
    `source-version=${sourceVersionOf(settings)}`,
    `mirror=${mirrorKindOf(settings)}`,
    `mm2=${settings.mm2}`,
    `mm2-interval=${mm2IntervalOf(settings)}s`,
    settings.secure ? 'secure' : 'plaintext',
    `policy=${settings.policy}`,
    `port-offset=${settings.portOffset}`,
    ...(flowsOf(settings) === 'both' ? ['flows=both'] : []),
  ].join(', ');
}

/** Stops every process the lab started, the traffic and the mirror first, and waits until their ports are closed. */
export async function labDown(context: LabContext): Promise<void> {
  const paths = labPaths(context.stateDir);
  const record = readLabRecord(paths.labFile);
  if (!record) return;
  const order: Component[] = [
    'traffic',
    'mm1',
    'connect',
    'mm2',
    ...brokerComponents(record, 'source'),
    ...brokerComponents(record, 'target'),
    'zookeeper',
  ];
  for (const component of order) {
    const pid = record.pids[component];
    if (pid) await stopProcess(pid, marker(paths.stateDir));
  }
  await waitPortsClosed(record, order);
  record.pids = {};
  record.mirrorStopped = false;
  record.stoppedBrokers = [];
  writeLabRecord(paths.labFile, record);
}

async function waitPortsClosed(record: LabRecord, components: Component[]): Promise<void> {
  await Promise.all(
    components.flatMap((component) =>
      componentPorts(record, component).map((port) =>
        waitFor(async () => ((await isListening(port)) ? undefined : true), {
          timeoutMs: 20_000,
          intervalMs: 200,
          onTimeout: () => new LabError(`port ${port} is still open after the lab stopped it`),
        }),
      ),
    ),
  );
}

export async function labReset(context: LabContext): Promise<void> {
  await labDown(context);
  rmSync(context.stateDir, { recursive: true, force: true });
}

/**
 * `lab broker stop|start`: stops one broker as a crash would look to clients (SIGTERM, then its ports
 * closed), or starts it again and waits until its cluster counts it. Node 1 is also the controller.
 */
export async function labBroker(
  context: LabContext,
  cluster: ClusterName,
  nodeId: number,
  action: 'stop' | 'start',
  timeoutMs = 120_000,
): Promise<void> {
  const paths = labPaths(context.stateDir);
  const record = readLabRecord(paths.labFile);
  if (!record) throw new LabError(`no lab in ${paths.stateDir}: run 'mirrorwatch lab up'`);
  const brokers = brokersOf(record.settings);
  if (!Number.isInteger(nodeId) || nodeId < 1 || nodeId > brokers)
    throw new LabError(`the ${cluster} cluster has brokers 1..${brokers}: no broker ${nodeId}`);
  const component = brokerComponent(cluster, nodeId);
  const stopped = new Set(record.stoppedBrokers ?? []);
  if (action === 'stop') {
    const pid = record.pids[component];
    if (pid) await stopProcess(pid, marker(paths.stateDir));
    await waitPortsClosed(record, [component]);
    delete record.pids[component];
    stopped.add(component);
    record.stoppedBrokers = [...stopped];
    writeLabRecord(paths.labFile, record);
    return;
  }
  const secure = record.settings.secure ? await ensureSecureMaterial(paths.secure) : undefined;
  const plan = brokerPlans(record, paths, secure).find((p) => p.component === component);
  if (!plan) throw new LabError(`no broker ${nodeId} in the ${cluster} cluster`);
  if (!isRunning(record, paths.stateDir, component)) {
    await ensurePortsFree(record, component, plan.label);
    record.pids[component] = await startBroker(plan, record, paths, context.jarCache ?? defaultJarCache());
    writeLabRecord(paths.labFile, record);
  }
  await waitForBroker(plan, record, paths, timeoutMs, brokers);
  stopped.delete(component);
  record.stoppedBrokers = [...stopped];
  writeLabRecord(paths.labFile, record);
}
