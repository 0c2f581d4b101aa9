/** `lab status`: what runs, where, and how to reach it. */
import { join } from 'node:path';
import type { LabFinder } from '../config/connection.js';
import { SCRAM_MECHANISM } from './certificates.js';
import { bootstrapOf } from './clusters.js';
import { isRunning } from './components.js';
import { CONNECT_OFFSETS_TOPIC, labConnectorNames, MM1_GROUP, MM1_INCLUDE } from './config-files.js';
import { kafkaLibDir } from './jars.js';
import {
  brokerPortOf,
  DEFAULT_PORTS,
  defaultJarCache,
  defaultStateDir,
  type LabContext,
  labPaths,
  SOURCE_ALIAS,
  TARGET_ALIAS,
  TARGET_KAFKA_VERSION,
} from './layout.js';
import {
  brokerComponent,
  brokersOf,
  type ClusterName,
  type Component,
  flowsOf,
  type LabSettings,
  type MirrorKind,
  mirrorComponentOf,
  mirrorKindOf,
  readLabRecord,
  sourceKafkaVersion,
  sourceUsesZooKeeper,
  zookeeperPortOf,
} from './record.js';

export interface LabBroker {
  id: number;
  port: number;
  running: boolean;
  /** Stopped with `lab broker stop`: the lab still counts as running. */
  stoppedByOperator: boolean;
}

export interface LabStatus {
  state: 'running' | 'stopped' | 'degraded';
  stateDir: string;
  settings: LabSettings | null;
  source: {
    alias: string;
    bootstrap: string;
    version: string;
    running: boolean;
    brokers: LabBroker[];
    /** A 2.8 source's ZooKeeper; absent for a KRaft source. */
    zookeeper?: { connect: string; running: boolean };
  };
  target: {
    alias: string;
    bootstrap: string;
    version: string;
    running: boolean;
    brokers: LabBroker[];
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
    /** mm2 (MirrorMaker 2, see mode) or mm1 (kafka.tools.MirrorMaker). */
    kind: MirrorKind;
    mode: string;
    /** MM1's consumer group on the source and its include regex. */
    mm1?: { group: string; include: string };
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
  const kind = settings ? mirrorKindOf(settings) : 'mm2';
  const mode = kind === 'mm1' ? 'mm1' : (settings?.mm2 ?? 'connect');
  const mirrorRunning = running(settings ? mirrorComponentOf(settings) : 'connect');
  const zookeeper = settings && sourceUsesZooKeeper(settings);
  const stopped = new Set<Component>(record?.stoppedBrokers ?? []);
  const brokerList = (cluster: ClusterName): LabBroker[] =>
    Array.from({ length: settings ? brokersOf(settings) : 1 }, (_, i) => {
      const component = brokerComponent(cluster, i + 1);
      return {
        id: i + 1,
        port: brokerPortOf(cluster === 'source' ? ports.sourceBroker : ports.targetBroker, i + 1),
        running: running(component),
        stoppedByOperator: stopped.has(component),
      };
    });
  const brokers = { source: brokerList('source'), target: brokerList('target') };
  const clusterUp = (cluster: ClusterName) => brokers[cluster].every((b) => b.running || b.stoppedByOperator);
  const core = [
    clusterUp('source'),
    clusterUp('target'),
    mirrorRunning || Boolean(record?.mirrorStopped),
    ...(zookeeper ? [running('zookeeper')] : []),
  ];
  const state = core.every(Boolean)
    ? 'running'
    : core.some(Boolean) ||
        [...brokers.source, ...brokers.target].some((b) => b.running) ||
        running('connect') ||
        running('mm2') ||
        running('mm1') ||
        running('zookeeper')
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
      bootstrap: brokers.source.map((b) => bootstrapOf(b.port)).join(','),
      version: sourceKafkaVersion(
        settings ?? { mm2: 'connect', secure: false, policy: 'identity', portOffset: 0 },
      ),
      running: running('source'),
      brokers: brokers.source,
      ...(zookeeper
        ? { zookeeper: { connect: `127.0.0.1:${zookeeperPortOf(ports)}`, running: running('zookeeper') } }
        : {}),
    },
    target: {
      alias: TARGET_ALIAS,
      bootstrap: brokers.target.map((b) => bootstrapOf(b.port)).join(','),
      version: TARGET_KAFKA_VERSION,
      running: running('target'),
      brokers: brokers.target,
      ...(secure ? { security: secure } : {}),
    },
    connect: {
      url: mode === 'connect' ? `http://127.0.0.1:${ports.connectRest}` : null,
      running: running('connect'),
    },
    metrics: { url: `http://127.0.0.1:${ports.metrics}/metrics` },
    mirror: {
      kind,
      mode,
      ...(kind === 'mm1' ? { mm1: { group: MM1_GROUP, include: MM1_INCLUDE } } : {}),
      connectors:
        kind === 'mm1'
          ? []
          : mode === 'connect'
            ? labConnectorNames(settings ? flowsOf(settings) === 'both' : false)
            : ['MirrorSourceConnector', 'MirrorCheckpointConnector', 'MirrorHeartbeatConnector'],
      offsetsTopic:
        kind === 'mm1'
          ? ''
          : mode === 'connect'
            ? CONNECT_OFFSETS_TOPIC
            : `mm2-offsets.${SOURCE_ALIAS}.internal`,
      running: mirrorRunning,
      stoppedByOperator: Boolean(record?.mirrorStopped),
    },
    traffic: { running: running('traffic') },
    kafkaLibDir: kafkaLibDir(jarCache, TARGET_KAFKA_VERSION),
    logs: {
      source: join(paths.source, 'server.log'),
      target: join(paths.target, 'server.log'),
      mirror:
        kind === 'mm1'
          ? join(paths.mm1, 'mm1.log')
          : mode === 'connect'
            ? join(paths.connect, 'connect.log')
            : join(paths.mm2, 'mm2.log'),
      ...(zookeeper ? { zookeeper: join(paths.zookeeper, 'zookeeper.log') } : {}),
    },
  };
}

/** The lab as a place to connect to (the CLI hands this to the configuration; see LabFinder). */
export const findLab: LabFinder = (dir) => {
  const stateDir = dir ?? defaultStateDir();
  const status = labStatus({ stateDir });
  if (status.state === 'stopped' || !status.settings) return { stateDir, endpoints: null };
  return {
    stateDir,
    endpoints: {
      source: { alias: status.source.alias, bootstrap: status.source.bootstrap },
      target: {
        alias: status.target.alias,
        bootstrap: status.target.bootstrap,
        clientProperties: status.target.security?.clientProperties ?? null,
      },
      policy: status.settings.policy,
      metricsUrl: status.metrics.url,
      connectUrl: status.connect.url,
      offsetsTopic: status.mirror.offsetsTopic,
      ...(status.mirror.mm1
        ? { mirror: { kind: 'mm1' as const, mm1: status.mirror.mm1, autoOffsetReset: 'latest' as const } }
        : {}),
      flows: flowsOf(status.settings),
    },
  };
};
