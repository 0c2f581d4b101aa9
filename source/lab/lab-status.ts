/** `lab status`: what runs, where, and how to reach it. */
import { join } from 'node:path';
import type { LabFinder } from '../config/connection.js';
import { SCRAM_MECHANISM } from './certificates.js';
import { bootstrapOf } from './clusters.js';
import { isRunning } from './components.js';
import { CONNECT_OFFSETS_TOPIC, connectorNames } from './config-files.js';
import { kafkaLibDir } from './jars.js';
import {
  DEFAULT_PORTS,
  defaultJarCache,
  defaultStateDir,
  type LabContext,
  labPaths,
  SOURCE_ALIAS,
  SOURCE_KAFKA_VERSION,
  TARGET_ALIAS,
  TARGET_KAFKA_VERSION,
} from './layout.js';
import { type Component, type LabSettings, readLabRecord } from './record.js';

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
    },
  };
};
