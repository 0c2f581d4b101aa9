import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ResolvedSecurity } from '../config/client-properties.js';
import { type ClusterEndpoint, createKafka } from '../kafka/client.js';
import { ConnectRestClient } from '../mm2/connect-rest.js';
import { packageRoot } from '../util/package-root.js';
import { ensureSecureMaterial, readPassword, SCRAM_MECHANISM, type SecureMaterial } from './certificates.js';
import {
  brokerProperties,
  CONNECT_OFFSETS_TOPIC,
  connectorNames,
  connectWorkerProperties,
  dedicatedMm2Properties,
  log4j2Properties,
  log4jProperties,
  mirrorConnectorConfigs,
  renderProperties,
} from './config-files.js';
import { LabError } from './errors.js';
import { ensureExporterJar, ensureKafkaJars, kafkaLibDir } from './jars.js';
import {
  DEFAULT_PORTS,
  defaultJarCache,
  type LabPaths,
  labPaths,
  portsWithOffset,
  SOURCE_ALIAS,
  SOURCE_KAFKA_VERSION,
  TARGET_ALIAS,
  TARGET_KAFKA_VERSION,
} from './layout.js';
import { isListening, isOurProcess, startDetached, stopProcess, tailOf, waitFor } from './processes.js';
import { type Component, type LabRecord, type LabSettings, readLabRecord, writeLabRecord } from './record.js';
import { seedSource } from './seed.js';
import { ensureWorkloadTopics } from './workload.js';

const exec = promisify(execFile);

export interface LabContext {
  stateDir: string;
  jarCache?: string;
  log?: (line: string) => void;
}

export interface LabUpOptions extends LabContext {
  settings: LabSettings;
  traffic?: boolean;
  timeoutMs?: number;
}

const JVM_HEAP: Record<'broker' | 'connect', string[]> = {
  broker: ['-Xms128m', '-Xmx512m'],
  connect: ['-Xms128m', '-Xmx768m'],
};

function marker(stateDir: string): string {
  return `-Dmirrorwatch.lab=${stateDir}`;
}

async function requireTool(command: string, args: string[], hint: string): Promise<void> {
  try {
    await exec(command, args);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new LabError(`${command} not found on PATH: ${hint}`);
  }
}

function javaArgs(
  stateDir: string,
  libDir: string,
  version: string,
  logFile: string,
  heap: string[],
): string[] {
  const configDir = join(logFile, '..');
  const isLog4j2 = Number.parseInt(version, 10) >= 4;
  const logConfig = join(configDir, isLog4j2 ? 'log4j2.properties' : 'log4j.properties');
  writeFileSync(logConfig, isLog4j2 ? log4j2Properties(logFile) : log4jProperties(logFile));
  return [
    ...heap,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    marker(stateDir),
    isLog4j2 ? `-Dlog4j2.configurationFile=${logConfig}` : `-Dlog4j.configuration=file:${logConfig}`,
    '-cp',
    `${libDir}/*`,
  ];
}

function bootstrapOf(port: number): string {
  return `127.0.0.1:${port}`;
}

interface ClusterPlan {
  name: 'source' | 'target';
  version: string;
  dir: string;
  brokerPort: number;
  controllerPort: number;
  secure?: SecureMaterial;
  internalPort: number;
}

function clusterPlans(record: LabRecord, paths: LabPaths, secure?: SecureMaterial): ClusterPlan[] {
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

async function formatStorage(
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

function readPasswordSafe(plan: ClusterPlan): string {
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
function targetInternalBootstrap(record: LabRecord): string {
  return bootstrapOf(record.settings.secure ? record.ports.targetInternal : record.ports.targetBroker);
}

async function brokerAnswers(endpoint: ClusterEndpoint): Promise<boolean | undefined> {
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

function componentPorts(record: LabRecord, component: Component): number[] {
  const p = record.ports;
  switch (component) {
    case 'source':
      return [p.sourceBroker, p.sourceController];
    case 'target':
      return record.settings.secure
        ? [p.targetBroker, p.targetController, p.targetInternal]
        : [p.targetBroker, p.targetController];
    case 'connect':
      return [p.connectRest, p.metrics];
    case 'mm2':
      return [p.metrics];
    case 'traffic':
      return [];
  }
}

async function ensurePortsFree(record: LabRecord, component: Component, label: string): Promise<void> {
  for (const port of componentPorts(record, component)) {
    if (await isListening(port)) {
      throw new LabError(
        `port ${port} (${label}) is already in use by another process: stop it, or move the lab with --port-offset N`,
      );
    }
  }
}

async function startBroker(
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

async function waitForBroker(
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

function exporterAgentArg(jar: string, metricsPort: number): string {
  return `-javaagent:${jar}=127.0.0.1:${metricsPort}:${join(packageRoot, 'source', 'lab', 'resources', 'exporter-rules.yaml')}`;
}

/** The MM2 process: a Connect worker (the connectors are posted afterwards) or the dedicated MirrorMaker. */
async function startMirror(record: LabRecord, paths: LabPaths, jarCache: string): Promise<void> {
  const libDir = kafkaLibDir(jarCache, TARGET_KAFKA_VERSION);
  const agent = exporterAgentArg(await ensureExporterJar(jarCache, () => {}), record.ports.metrics);
  const sourceBootstrap = bootstrapOf(record.ports.sourceBroker);
  const targetBootstrap = targetInternalBootstrap(record);
  const connect = record.settings.mm2 === 'connect';
  const dir = connect ? paths.connect : paths.mm2;
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, connect ? 'worker.properties' : 'mm2.properties');
  const config = connect
    ? renderProperties(
        connectWorkerProperties(record.ports, targetBootstrap),
        'mirrorwatch lab Connect worker',
      )
    : renderProperties(
        dedicatedMm2Properties({ sourceBootstrap, targetBootstrap, policy: record.settings.policy }),
        'mirrorwatch lab: dedicated MirrorMaker 2',
      );
  writeFileSync(configFile, config);
  const logFile = join(dir, connect ? 'connect.log' : 'mm2.log');
  const args = javaArgs(paths.stateDir, libDir, TARGET_KAFKA_VERSION, logFile, JVM_HEAP.connect);
  const mainClass = connect
    ? 'org.apache.kafka.connect.cli.ConnectDistributed'
    : 'org.apache.kafka.connect.mirror.MirrorMaker';
  const { pid } = startDetached('java', [agent, ...args, mainClass, configFile], {
    cwd: dir,
    log: join(dir, 'stdout.log'),
  });
  if (connect) record.pids.connect = pid;
  else record.pids.mm2 = pid;
}

async function configureConnectors(record: LabRecord, paths: LabPaths, timeoutMs: number): Promise<void> {
  const rest = new ConnectRestClient(`http://127.0.0.1:${record.ports.connectRest}`);
  await waitFor(
    async () => {
      if (!isOurProcess(record.pids.connect, marker(paths.stateDir))) {
        throw new LabError(
          `the Connect worker exited during start: see ${join(paths.connect, 'connect.log')}`,
        );
      }
      return (await rest.connectorNames()) ? true : undefined;
    },
    {
      timeoutMs,
      intervalMs: 1000,
      onTimeout: () =>
        new LabError(`Kafka Connect REST did not answer in time: see ${join(paths.connect, 'connect.log')}`),
    },
  );
  const configs = mirrorConnectorConfigs({
    sourceBootstrap: bootstrapOf(record.ports.sourceBroker),
    targetBootstrap: targetInternalBootstrap(record),
    policy: record.settings.policy,
  });
  for (const [name, config] of Object.entries(configs)) {
    const asStrings = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, String(v)]));
    // Connect answers 409 while the worker is still joining its group: retry until it accepts.
    await waitFor(() => rest.putConfig(name, asStrings).then(() => true), {
      timeoutMs,
      intervalMs: 1000,
      onTimeout: () =>
        new LabError(
          `Kafka Connect did not accept connector ${name}: see ${join(paths.connect, 'connect.log')}`,
        ),
    });
  }
}

async function connectorsRunning(record: LabRecord): Promise<boolean | undefined> {
  const rest = new ConnectRestClient(`http://127.0.0.1:${record.ports.connectRest}`);
  const statuses = await rest.statuses();
  const names = Object.values(connectorNames());
  const held = statuses.filter(
    (s) => names.includes(s.name) && (s.connector.state === 'STOPPED' || s.connector.state === 'PAUSED'),
  );
  if (held.length > 0) {
    throw new LabError(
      `MM2 connectors are ${held.map((s) => `${s.name} ${s.connector.state}`).join(', ')}: resume them with 'mirrorwatch lab mirror start'`,
    );
  }
  const running = names.every((name) => {
    const s = statuses.find((status) => status.name === name);
    return (
      s &&
      s.connector.state === 'RUNNING' &&
      s.tasks.length > 0 &&
      s.tasks.every((t) => t.state === 'RUNNING')
    );
  });
  return running ? true : undefined;
}

async function heartbeatArrived(record: LabRecord, paths: LabPaths): Promise<boolean | undefined> {
  const admin = createKafka(endpointFor(record, paths, 'target'), 'mirrorwatch-lab', { retries: 0 }).admin();
  try {
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('heartbeats');
    return offsets.some((p) => Number(p.high) > 0) ? true : undefined;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function metricsServe(record: LabRecord): Promise<boolean | undefined> {
  const response = await fetch(`http://127.0.0.1:${record.ports.metrics}/metrics`, {
    signal: AbortSignal.timeout(3000),
  });
  const text = await response.text();
  return /kafka_connect_mirror_mirrorsourceconnector_record_count\{/.test(text) ? true : undefined;
}

async function waitHealthy(record: LabRecord, paths: LabPaths, timeoutMs: number): Promise<void> {
  const logFile =
    record.settings.mm2 === 'connect' ? join(paths.connect, 'connect.log') : join(paths.mm2, 'mm2.log');
  const mirrorPid = record.settings.mm2 === 'connect' ? record.pids.connect : record.pids.mm2;
  const checks: Array<[string, () => Promise<boolean | undefined>]> = [
    ...(record.settings.mm2 === 'connect'
      ? [
          ['MM2 connectors RUNNING', () => connectorsRunning(record)] as [
            string,
            () => Promise<boolean | undefined>,
          ],
        ]
      : []),
    ['first heartbeat on the target', () => heartbeatArrived(record, paths)],
    ['MM2 record-count metrics served', () => metricsServe(record)],
  ];
  const deadline = Date.now() + timeoutMs;
  for (const [what, check] of checks) {
    await waitFor(
      async () => {
        if (!isOurProcess(mirrorPid, marker(paths.stateDir)))
          throw new LabError(`MirrorMaker 2 exited: see ${logFile}`);
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

/** A Kafka cluster id (base64url UUID). Like Kafka's Uuid.randomUuid, never one that starts with '-': the storage tool would read it as an option. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function sameSettings(a: LabSettings, b: LabSettings): boolean {
  return a.mm2 === b.mm2 && a.secure === b.secure && a.policy === b.policy && a.portOffset === b.portOffset;
}

export function isRunning(record: LabRecord | undefined, stateDir: string, component: Component): boolean {
  return isOurProcess(record?.pids[component], marker(stateDir));
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
    exporter: await ensureExporterJar(jarCache, log),
  };
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
    (['source', 'target', 'connect', 'mm2'] as const).some((c) => isRunning(previous, paths.stateDir, c));
  if (previous && anyRunning && !sameSettings(previous.settings, options.settings)) {
    throw new LabError(
      `the lab in ${paths.stateDir} is running with other settings (${describeSettings(previous.settings)}): run 'mirrorwatch lab down' first`,
    );
  }
  const record: LabRecord =
    previous && sameSettings(previous.settings, options.settings)
      ? previous
      : {
          settings: options.settings,
          ports: options.settings.portOffset
            ? portsWithOffset(options.settings.portOffset)
            : { ...DEFAULT_PORTS },
          clusterIds: { source: newClusterId(), target: newClusterId() },
          pids: {},
          seeded: false,
        };
  if (previous && !sameSettings(previous.settings, options.settings)) {
    // Other settings over a stopped lab: its data was made for another layout.
    rmSync(paths.stateDir, { recursive: true, force: true });
    mkdirSync(paths.stateDir, { recursive: true });
  }

  log(
    `resolving Kafka ${SOURCE_KAFKA_VERSION} and ${TARGET_KAFKA_VERSION} jars (Maven, cached in ${jarCache})`,
  );
  await ensureKafkaJars(jarCache, SOURCE_KAFKA_VERSION, log);
  await ensureKafkaJars(jarCache, TARGET_KAFKA_VERSION, log);
  await ensureExporterJar(jarCache, log);

  const secure = record.settings.secure ? await ensureSecureMaterial(paths.secure) : undefined;
  const plans = clusterPlans(record, paths, secure);
  for (const plan of plans) {
    if (isRunning(record, paths.stateDir, plan.name)) continue;
    await ensurePortsFree(record, plan.name, `${plan.name} broker`);
    mkdirSync(plan.dir, { recursive: true });
    log(`starting the ${plan.name} broker (Kafka ${plan.version}) on ${bootstrapOf(plan.brokerPort)}`);
    record.pids[plan.name] = await startBroker(plan, record, paths, jarCache);
    writeLabRecord(paths.labFile, record);
  }
  for (const plan of plans) await waitForBroker(plan, record, paths, timeoutMs);

  if (!record.seeded) {
    log('seeding the source cluster (topic1, topic2, DmmAccess, apache-logs, two consumer groups)');
    await seedSource(createKafka(endpointFor(record, paths, 'source'), 'mirrorwatch-lab-seed'));
    record.seeded = true;
    writeLabRecord(paths.labFile, record);
  }
  const created = await ensureWorkloadTopics(
    createKafka(endpointFor(record, paths, 'source'), 'mirrorwatch-lab-seed'),
  );
  if (created.length > 0) log(`created and seeded ${created.join(', ')}`);

  const mirrorComponent = record.settings.mm2 === 'connect' ? 'connect' : 'mm2';
  if (!isRunning(record, paths.stateDir, mirrorComponent) && !record.mirrorStopped) {
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
  if (!record.mirrorStopped) {
    log('waiting until the mirror is healthy (connectors, heartbeats, metrics)');
    await waitHealthy(record, paths, timeoutMs);
  }
  return record;
}

function describeSettings(settings: LabSettings): string {
  return [
    `mm2=${settings.mm2}`,
    settings.secure ? 'secure' : 'plaintext',
    `policy=${settings.policy}`,
    `port-offset=${settings.portOffset}`,
  ].join(', ');
}

/** Stops every process the lab started, the traffic and the mirror first, and waits until their ports are closed. */
export async function labDown(context: LabContext): Promise<void> {
  const paths = labPaths(context.stateDir);
  const record = readLabRecord(paths.labFile);
  if (!record) return;
  const order: Component[] = ['traffic', 'connect', 'mm2', 'source', 'target'];
  for (const component of order) {
    const pid = record.pids[component];
    if (pid) await stopProcess(pid, marker(paths.stateDir));
  }
  await Promise.all(
    order.flatMap((component) =>
      componentPorts(record, component).map((port) =>
        waitFor(async () => ((await isListening(port)) ? undefined : true), {
          timeoutMs: 20_000,
          intervalMs: 200,
          onTimeout: () => new LabError(`port ${port} is still open after lab down`),
        }),
      ),
    ),
  );
  record.pids = {};
  record.mirrorStopped = false;
  writeLabRecord(paths.labFile, record);
}

export async function labReset(context: LabContext): Promise<void> {
  await labDown(context);
  rmSync(context.stateDir, { recursive: true, force: true });
}

/** `lab mirror stop|start`: stops or starts the mirror the way an operator would (process or REST). */
export async function labMirror(context: LabContext, action: 'stop' | 'start'): Promise<void> {
  const paths = labPaths(context.stateDir);
  const record = readLabRecord(paths.labFile);
  if (!record || !isRunning(record, paths.stateDir, 'target'))
    throw new LabError(`no running lab in ${paths.stateDir}: run 'mirrorwatch lab up'`);
  const jarCache = context.jarCache ?? defaultJarCache();
  if (record.settings.mm2 === 'dedicated') {
    if (action === 'stop') {
      if (record.pids.mm2) await stopProcess(record.pids.mm2, marker(paths.stateDir));
      delete record.pids.mm2;
      record.mirrorStopped = true;
      writeLabRecord(paths.labFile, record);
      return;
    }
    record.mirrorStopped = false;
    if (!isRunning(record, paths.stateDir, 'mm2')) {
      await ensurePortsFree(record, 'mm2', 'MirrorMaker 2 metrics');
      await startMirror(record, paths, jarCache);
    }
    writeLabRecord(paths.labFile, record);
    return;
  }
  const rest = new ConnectRestClient(`http://127.0.0.1:${record.ports.connectRest}`);
  for (const name of Object.values(connectorNames())) {
    if (action === 'stop') await rest.stop(name);
    else await rest.resume(name);
  }
  record.mirrorStopped = action === 'stop';
  writeLabRecord(paths.labFile, record);
}

export interface LabStatus {
  state: 'running' | 'stopped' | 'degraded';
  stateDir: string;
  settings: LabSettings | null;
  source: { alias: string; bootstrap: string; version: string; running: boolean };
  target: {
    alias: string;
    bootstrap: string;
    version: string;
    running: boolean;
    security?: {
      protocol: string;
      mechanism: string;
      username: string;
      caFile: string;
      passwordFile: string;
      clientProperties: string;
    };
  };
  connect: { url: string | null; running: boolean };
  metrics: { url: string };
  mirror: {
    mode: string;
    connectors: string[];
    offsetsTopic: string;
    running: boolean;
    stoppedByOperator: boolean;
  };
  traffic: { running: boolean };
  kafkaLibDir: string;
  logs: Record<string, string>;
}

export function labStatus(context: LabContext): LabStatus {
  const paths = labPaths(context.stateDir);
  const record = readLabRecord(paths.labFile);
  const jarCache = context.jarCache ?? defaultJarCache();
  const ports = record?.ports ?? DEFAULT_PORTS;
  const settings = record?.settings ?? null;
  const running = (c: Component) => isRunning(record, paths.stateDir, c);
  const mode = settings?.mm2 ?? 'connect';
  const mirrorRunning = mode === 'connect' ? running('connect') : running('mm2');
  const core = [running('source'), running('target'), mirrorRunning || Boolean(record?.mirrorStopped)];
  const state = core.every(Boolean)
    ? 'running'
    : core.some(Boolean) || running('connect') || running('mm2')
      ? 'degraded'
      : 'stopped';
  const secure = settings?.secure
    ? {
        protocol: 'SASL_SSL',
        mechanism: SCRAM_MECHANISM,
        username: 'mirrorwatch',
        caFile: join(paths.secure, 'ca.pem'),
        passwordFile: join(paths.secure, 'password'),
        clientProperties: join(paths.secure, 'client.properties'),
      }
    : undefined;
  return {
    state,
    stateDir: paths.stateDir,
    settings,
    source: {
      alias: SOURCE_ALIAS,
      bootstrap: bootstrapOf(ports.sourceBroker),
      version: SOURCE_KAFKA_VERSION,
      running: running('source'),
    },
    target: {
      alias: TARGET_ALIAS,
      bootstrap: bootstrapOf(ports.targetBroker),
      version: TARGET_KAFKA_VERSION,
      running: running('target'),
      ...(secure ? { security: secure } : {}),
    },
    connect: {
      url: mode === 'connect' ? `http://127.0.0.1:${ports.connectRest}` : null,
      running: running('connect'),
    },
    metrics: { url: `http://127.0.0.1:${ports.metrics}/metrics` },
    mirror: {
      mode,
      connectors:
        mode === 'connect'
          ? Object.values(connectorNames())
          : ['MirrorSourceConnector', 'MirrorCheckpointConnector', 'MirrorHeartbeatConnector'],
      offsetsTopic: mode === 'connect' ? CONNECT_OFFSETS_TOPIC : `mm2-offsets.${SOURCE_ALIAS}.internal`,
      running: mirrorRunning,
      stoppedByOperator: Boolean(record?.mirrorStopped),
    },
    traffic: { running: running('traffic') },
    kafkaLibDir: kafkaLibDir(jarCache, TARGET_KAFKA_VERSION),
    logs: {
      source: join(paths.source, 'server.log'),
      target: join(paths.target, 'server.log'),
      mirror: mode === 'connect' ? join(paths.connect, 'connect.log') : join(paths.mm2, 'mm2.log'),
    },
  };
}

export { tailOf };
