/** The lab's mirror: MM2 in a Kafka Connect worker or dedicated, with the JMX exporter; its health and stop/start. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '../kafka/client.js';
import { ConnectRestClient } from '../mm2/connect-rest.js';
import { packageRoot } from '../util/package-root.js';
import { endpointFor, sourceBootstrap, targetInternalBootstrap } from './clusters.js';
import { ensurePortsFree, isRunning } from './components.js';
import {
  connectWorkerProperties,
  dedicatedMm2Properties,
  labConnectorNames,
  mirrorConnectorConfigs,
  renderProperties,
  withReplicationFactor,
} from './config-files.js';
import { LabError } from './errors.js';
import { ensureExporterJar, kafkaLibDir } from './jars.js';
import { CONNECT_HEAP, javaArgs, marker } from './jvm.js';
import { defaultJarCache, type LabContext, type LabPaths, labPaths, TARGET_KAFKA_VERSION } from './layout.js';
import { startMirrorMaker1 } from './mirror-maker1.js';
import { isOurProcess, startDetached, stopProcess, waitFor } from './processes.js';
import {
  flowsOf,
  type LabRecord,
  labReplicationFactor,
  mirrorComponentOf,
  mm2IntervalOf,
  readLabRecord,
  writeLabRecord,
} from './record.js';

export function exporterAgentArg(jar: string, metricsPort: number): string {
  return `-javaagent:${jar}=127.0.0.1:${metricsPort}:${join(packageRoot, 'source', 'lab', 'resources', 'exporter-rules.yaml')}`;
}

/** The MM2 process: a Connect worker (the connectors are posted afterwards) or the dedicated MirrorMaker. */
export async function startMirror(record: LabRecord, paths: LabPaths, jarCache: string): Promise<void> {
  const libDir = kafkaLibDir(jarCache, TARGET_KAFKA_VERSION);
  const agent = exporterAgentArg(await ensureExporterJar(jarCache, () => {}), record.ports.metrics);
  const source = sourceBootstrap(record);
  const targetBootstrap = targetInternalBootstrap(record);
  const rf = labReplicationFactor(record.settings);
  const connect = record.settings.mm2 === 'connect';
  const dir = connect ? paths.connect : paths.mm2;
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, connect ? 'worker.properties' : 'mm2.properties');
  const config = connect
    ? renderProperties(
        withReplicationFactor(connectWorkerProperties(record.ports, targetBootstrap), rf),
        'mirrorwatch lab Connect worker',
      )
    : renderProperties(
        withReplicationFactor(
          dedicatedMm2Properties({
            sourceBootstrap: source,
            targetBootstrap,
            policy: record.settings.policy,
            intervalSeconds: mm2IntervalOf(record.settings),
          }),
          rf,
        ),
        'mirrorwatch lab: dedicated MirrorMaker 2',
      );
  writeFileSync(configFile, config);
  const logFile = join(dir, connect ? 'connect.log' : 'mm2.log');
  const args = javaArgs(paths.stateDir, libDir, TARGET_KAFKA_VERSION, logFile, CONNECT_HEAP);
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

export async function configureConnectors(
  record: LabRecord,
  paths: LabPaths,
  timeoutMs: number,
): Promise<void> {
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
  const forward = {
    sourceBootstrap: sourceBootstrap(record),
    targetBootstrap: targetInternalBootstrap(record),
    policy: record.settings.policy,
    intervalSeconds: mm2IntervalOf(record.settings),
  };
  const configs = {
    ...mirrorConnectorConfigs(forward),
    ...(flowsOf(record.settings) === 'both'
      ? mirrorConnectorConfigs({
          ...forward,
          sourceBootstrap: forward.targetBootstrap,
          targetBootstrap: forward.sourceBootstrap,
          reverse: true,
        })
      : {}),
  };
  const rf = labReplicationFactor(record.settings);
  for (const [name, config] of Object.entries(configs)) {
    const asStrings = Object.fromEntries(
      Object.entries(withReplicationFactor(config, rf)).map(([k, v]) => [k, String(v)]),
    );
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

export async function connectorsRunning(record: LabRecord): Promise<boolean | undefined> {
  const rest = new ConnectRestClient(`http://127.0.0.1:${record.ports.connectRest}`);
  const statuses = await rest.statuses();
  const names = labConnectorNames(flowsOf(record.settings) === 'both');
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

export async function heartbeatArrived(record: LabRecord, paths: LabPaths): Promise<boolean | undefined> {
  const admin = createKafka(endpointFor(record, paths, 'target'), 'mirrorwatch-lab', { retries: 0 }).admin();
  try {
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('heartbeats');
    return offsets.some((p) => Number(p.high) > 0) ? true : undefined;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * One scrape may take as long as a Prometheus scrape may (15 s): on a scaled lab the exporter serves
 * its 7.6 MB page in about 6 s, and a shorter timeout left `lab up` waiting until it gave up.
 */
const METRICS_SCRAPE_TIMEOUT_MS = 15_000;

export async function metricsServe(record: LabRecord): Promise<boolean | undefined> {
  const response = await fetch(`http://127.0.0.1:${record.ports.metrics}/metrics`, {
    signal: AbortSignal.timeout(METRICS_SCRAPE_TIMEOUT_MS),
  });
  const text = await response.text();
  return /kafka_connect_mirror_mirrorsourceconnector_record_count\{/.test(text) ? true : undefined;
}

export async function waitHealthy(record: LabRecord, paths: LabPaths, timeoutMs: number): Promise<void> {
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

/** `lab mirror stop|start`: stops or starts the mirror the way an operator would (process or REST). */
export async function labMirror(context: LabContext, action: 'stop' | 'start'): Promise<void> {
  const paths = labPaths(context.stateDir);
  const record = readLabRecord(paths.labFile);
  if (!record || !isRunning(record, paths.stateDir, 'target'))
    throw new LabError(`no running lab in ${paths.stateDir}: run 'mirrorwatch lab up'`);
  const jarCache = context.jarCache ?? defaultJarCache();
  const component = mirrorComponentOf(record.settings);
  if (component !== 'connect') {
    if (action === 'stop') {
      const pid = record.pids[component];
      if (pid) await stopProcess(pid, marker(paths.stateDir));
      delete record.pids[component];
      record.mirrorStopped = true;
      writeLabRecord(paths.labFile, record);
      return;
    }
    record.mirrorStopped = false;
    if (!isRunning(record, paths.stateDir, component)) {
      const label = component === 'mm1' ? 'MirrorMaker 1 metrics' : 'MirrorMaker 2 metrics';
      await ensurePortsFree(record, component, label);
      if (component === 'mm1') await startMirrorMaker1(record, paths, jarCache);
      else await startMirror(record, paths, jarCache);
    }
    writeLabRecord(paths.labFile, record);
    return;
  }
  // Stopping a connector waits for its tasks to stop: seconds on a busy machine, more than a GET needs.
  const rest = new ConnectRestClient(`http://127.0.0.1:${record.ports.connectRest}`, 30_000);
  for (const name of labConnectorNames(flowsOf(record.settings) === 'both')) {
    if (action === 'stop') await rest.stop(name);
    else await rest.resume(name);
  }
  record.mirrorStopped = action === 'stop';
  writeLabRecord(paths.labFile, record);
}
