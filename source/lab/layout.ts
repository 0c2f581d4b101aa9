import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Versions the lab runs. The target is the newest Kafka 4.x whose MirrorMaker jars resolve from Maven Central. */
export const SOURCE_KAFKA_VERSION = '3.9.2';
export const TARGET_KAFKA_VERSION = '4.3.1';
export const EXPORTER_VERSION = '1.0.1';
/** `lab up --source-version 2.8`: a ZooKeeper-era source (Kafka 2.8.2 brings ZooKeeper 3.5.9 with it). */
export const LEGACY_SOURCE_KAFKA_VERSION = '2.8.2';
export const SOURCE_VERSIONS = { '3.9': SOURCE_KAFKA_VERSION, '2.8': LEGACY_SOURCE_KAFKA_VERSION } as const;
export type SourceVersion = keyof typeof SOURCE_VERSIONS;

export interface LabContext {
  stateDir: string;
  jarCache?: string;
  log?: (line: string) => void;
}

export const SOURCE_ALIAS = 'old';
export const TARGET_ALIAS = 'new';

export interface LabPorts {
  sourceBroker: number;
  sourceController: number;
  targetBroker: number;
  targetController: number;
  /** Plaintext listener of the target used by MM2 and inter-broker traffic when the client listener is SASL_SSL. */
  targetInternal: number;
  connectRest: number;
  metrics: number;
  /** ZooKeeper of a 2.8 source (absent in labs recorded before it existed). */
  zookeeper?: number;
}

export const DEFAULT_PORTS: LabPorts = {
  sourceBroker: 19092,
  sourceController: 19093,
  targetBroker: 29092,
  targetController: 29093,
  targetInternal: 29095,
  connectRest: 28083,
  metrics: 29404,
  zookeeper: 12181,
};

/** Port of broker `nodeId` (1-based) of a listener whose node-1 port is `base`: 10 apart. */
export function brokerPortOf(base: number, nodeId: number): number {
  return base + (nodeId - 1) * 10;
}

export function portsWithOffset(offset: number): LabPorts {
  const shifted = {} as LabPorts;
  for (const [name, port] of Object.entries(DEFAULT_PORTS)) shifted[name as keyof LabPorts] = port + offset;
  return shifted;
}

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MIRRORWATCH_LAB_DIR) return resolve(env.MIRRORWATCH_LAB_DIR);
  const stateHome = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(stateHome, 'mirrorwatch', 'lab');
}

export function defaultJarCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MIRRORWATCH_JAR_CACHE) return resolve(env.MIRRORWATCH_JAR_CACHE);
  const cacheHome = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'mirrorwatch', 'jars');
}

/** Where each part of the lab keeps its files inside the state directory. */
export function labPaths(stateDir: string) {
  return {
    stateDir,
    labFile: join(stateDir, 'lab.json'),
    source: join(stateDir, 'source'),
    target: join(stateDir, 'target'),
    connect: join(stateDir, 'connect'),
    mm2: join(stateDir, 'mm2'),
    secure: join(stateDir, 'secure'),
    traffic: join(stateDir, 'traffic'),
    zookeeper: join(stateDir, 'zookeeper'),
    mm1: join(stateDir, 'mm1'),
  };
}
export type LabPaths = ReturnType<typeof labPaths>;

/** Linux's range for outgoing sockets' local ports (net.ipv4.ip_local_port_range): 32768–60999 by default. */
export interface PortRange {
  low: number;
  high: number;
}

export function parsePortRange(text: string): PortRange | undefined {
  const [low, high] = text.trim().split(/\s+/).map(Number);
  if (low === undefined || high === undefined || !Number.isInteger(low) || !Number.isInteger(high))
    return undefined;
  return low <= high ? { low, high } : undefined;
}

/**
 * The lab's listening ports that fall in the ephemeral range: an outgoing connection may hold one of
 * them for a moment, and a broker started then fails with "Address already in use".
 */
export function portsInRange(ports: LabPorts, brokers: number, range: PortRange): number[] {
  return listeningPorts(ports, brokers).filter((port) => port >= range.low && port <= range.high);
}

/** Every port the lab listens on, brokers beyond the first included, in order. */
export function listeningPorts(ports: LabPorts, brokers: number): number[] {
  return Object.entries(ports)
    .flatMap(([name, port]) =>
      ['sourceBroker', 'targetBroker', 'targetInternal'].includes(name)
        ? Array.from({ length: brokers }, (_, i) => brokerPortOf(port as number, i + 1))
        : [port as number],
    )
    .sort((a, b) => a - b);
}

/** Why a layout cannot be used (a port outside 1024–65535), or null. */
export function portLayoutProblem(ports: LabPorts, brokers: number): string | null {
  const listening = listeningPorts(ports, brokers);
  const low = listening[0] as number;
  const high = listening.at(-1) as number;
  if (low >= 1024 && high <= 65_535) return null;
  return `--port-offset puts the lab's ports at ${low}-${high}: they must lie in 1024-65535`;
}
