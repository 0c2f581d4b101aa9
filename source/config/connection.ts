/**
 * Where mirrorwatch connects: both clusters, MM2's metrics endpoint and Kafka Connect. Built from, in
 * increasing priority: the lab (the embedded default), an mm2.properties file, environment variables,
 * then flags.
 */
import { readFileSync } from 'node:fs';
import {
  type ClientProperties,
  clientPropertiesFromEnv,
  type ResolvedSecurity,
  resolveSecurity,
  secretValues,
} from './client-properties.js';
import { ConfigError } from './errors.js';
import type { MirrorSettings } from './mirror-kind.js';
import { type Mm2Flow, parseMm2Config } from './mm2-config.js';
import { parseProperties } from './properties.js';
import type { ReplicationPolicy } from './replication-policy.js';
import { redactedUrl, takeCredentials, type UrlCredentials } from './url-credentials.js';

export interface ConnectionFlags {
  /** `--lab` (true: the default state directory) or `--lab DIR`. */
  lab?: string | boolean;
  source?: string;
  target?: string;
  sourceConfig?: string;
  targetConfig?: string;
  sourceAlias?: string;
  targetAlias?: string;
  mm2Config?: string;
  metricsUrl?: string;
  connectUrl?: string;
  offsetsTopic?: string;
  policy?: 'identity' | 'default';
  /** `--source`/`--target` given as a connection-info URL: the broker list in `source`/`target` came from it. */
  sourceConnectionUrl?: string;
  targetConnectionUrl?: string;
}

export interface ClusterConnection {
  role: 'source' | 'target';
  alias: string;
  bootstrap: string[];
  client: ClientProperties;
  security: ResolvedSecurity;
  /** The connection-info URL the broker list was read from, read again when the cluster is unreachable. */
  connectionUrl?: string;
}

export interface Connection {
  source: ClusterConnection;
  target: ClusterConnection;
  policy: ReplicationPolicy;
  /** Without credentials: it is shown. */
  metricsUrl: string | null;
  connectUrl: string | null;
  /** `Basic ...` from `user:password@` in the URL given, sent with each request. */
  metricsAuthorization?: string;
  connectAuthorization?: string;
  /** The Connect offsets topic on the target where MM2 stores its source positions; null: discover it. */
  offsetsTopic: string | null;
  /** Where the settings came from, for the header: `lab /path`, `mm2.properties`, `flags`. */
  origin: string;
  /** The MM2 flow from an mm2.properties file: its topic filters say which topics are meant to be mirrored. */
  flow: Mm2Flow | null;
  /** Every secret value, to scrub from any text shown. */
  secrets: string[];
  /** MM2 (absent: the default) or MirrorMaker 1 and its consumer group. */
  mirror?: MirrorSettings;
  /** A lab started with `--flows both` mirrors new->old too: the flows resolve into both directions. */
  labFlows?: 'one' | 'both';
}

interface Draft {
  alias?: string;
  bootstrap?: string[];
  client: ClientProperties;
}

const BOOTSTRAP_ENTRY = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;

export function parseBootstrap(value: string, role: string): string[] {
  const entries = value
    .split(',')
    .map((s) => s.trim().replace(/^[A-Za-z_]+:\/\//, ''))
    .filter((s) => s.length > 0);
  if (entries.length === 0) throw new ConfigError(`no ${role} bootstrap servers given`);
  for (const entry of entries) {
    const match = BOOTSTRAP_ENTRY.exec(entry);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) {
      throw new ConfigError(`bad ${role} bootstrap address '${entry}': expected host:port`);
    }
  }
  return entries;
}

/** A metrics or Connect URL: the URL to show and ask (without credentials), and its credentials. */
export interface HttpEndpoint {
  url: string;
  credentials: UrlCredentials | null;
}

export function metricsEndpoint(value: string): HttpEndpoint {
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`bad metrics URL '${redactedUrl(value)}': expected http://host:port/metrics`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`bad metrics URL '${redactedUrl(value)}': only http and https are supported`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/metrics';
  const credentials = takeCredentials(url);
  return { url: url.toString(), credentials };
}

export function normaliseMetricsUrl(value: string): string {
  return metricsEndpoint(value).url;
}

export function connectEndpoint(value: string): HttpEndpoint {
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `http://${value}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    const credentials = takeCredentials(url);
    return { url: url.toString().replace(/\/+$/, ''), credentials };
  } catch {
    throw new ConfigError(`bad Kafka Connect URL '${redactedUrl(value)}': expected http://host:port`);
  }
}

export function normaliseConnectUrl(value: string): string {
  return connectEndpoint(value).url;
}

function readPropertiesFile(path: string, what: string): ClientProperties {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code}`);
  }
  return Object.fromEntries(parseProperties(text, path));
}

/** Where a running lab's clusters and MM2 endpoints are: plain data, so the configuration knows no lab code. */
export interface LabEndpoints {
  /** `bootstrap`: host:port of every broker, comma-separated. */
  source: { alias: string; bootstrap: string };
  target: { alias: string; bootstrap: string; clientProperties: string | null };
  policy: 'identity' | 'default';
  metricsUrl: string;
  connectUrl: string | null;
  offsetsTopic: string;
  /** The lab's mirror when it is not MM2. */
  mirror?: MirrorSettings;
  /** `both`: the lab runs new->old beside old->new. Absent: one flow. */
  flows?: 'one' | 'both';
}

/**
 * Finds the lab in `dir` (or its default directory): its state directory, and its endpoints when it
 * runs. The CLI passes one in; without it, no lab is ever attached.
 */
export type LabFinder = (dir: string | undefined) => { stateDir: string; endpoints: LabEndpoints | null };

function fromLab(
  found: ReturnType<LabFinder>,
  explicit: boolean,
): { source: Draft; target: Draft; rest: Partial<Connection> } | undefined {
  const lab = found.endpoints;
  if (!lab) {
    if (!explicit) return undefined;
    throw new ConfigError(`no lab running in ${found.stateDir}: start it with 'mirrorwatch lab up'`);
  }
  const targetClient = lab.target.clientProperties
    ? readPropertiesFile(lab.target.clientProperties, 'lab client properties')
    : {};
  return {
    source: { alias: lab.source.alias, bootstrap: lab.source.bootstrap.split(','), client: {} },
    target: { alias: lab.target.alias, bootstrap: lab.target.bootstrap.split(','), client: targetClient },
    rest: {
      policy: { kind: lab.policy, separator: '.' },
      metricsUrl: lab.metricsUrl,
      connectUrl: lab.connectUrl,
      offsetsTopic: lab.offsetsTopic,
      ...(lab.mirror ? { mirror: lab.mirror } : {}),
      origin: `lab ${found.stateDir}`,
      ...(lab.flows ? { labFlows: lab.flows } : {}),
    },
  };
}

function fromMm2File(
  path: string,
  flags: ConnectionFlags,
): { source: Draft; target: Draft; policy: ReplicationPolicy; flow: Mm2Flow } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `cannot read MM2 properties ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`,
    );
  }
  const config = parseMm2Config(text, path);
  const flow =
    config.flows.find(
      (f) =>
        (!flags.sourceAlias || f.source === flags.sourceAlias) &&
        (!flags.targetAlias || f.target === flags.targetAlias),
    ) ?? undefined;
  if (!flow) {
    throw new ConfigError(
      `${path}: no enabled flow ${flags.sourceAlias ?? '*'}->${flags.targetAlias ?? '*'} (flows: ${config.flows.map((f) => `${f.source}->${f.target}`).join(', ') || 'none'})`,
    );
  }
  const cluster = (alias: string): Draft => {
    const settings = config.clusters.get(alias);
    if (!settings) throw new ConfigError(`${path}: cluster '${alias}' has no settings`);
    return { alias, bootstrap: settings.bootstrap, client: { ...settings.client } };
  };
  return { source: cluster(flow.source), target: cluster(flow.target), policy: config.policy, flow };
}

/** Resolves every connection setting, or throws a ConfigError with one line for the operator. */
export function resolveConnection(
  flags: ConnectionFlags,
  findLab?: LabFinder,
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  const explicitClusters = Boolean(flags.source || flags.target || flags.mm2Config);
  const labDir = typeof flags.lab === 'string' && flags.lab.length > 0 ? flags.lab : undefined;
  const lab =
    findLab && (flags.lab || !explicitClusters) ? fromLab(findLab(labDir), Boolean(flags.lab)) : undefined;
  if (!lab && !explicitClusters) {
    throw new ConfigError(
      "no clusters given and no lab running: pass --source and --target (or --mm2-config), or start the lab with 'mirrorwatch lab up'",
    );
  }
  const source: Draft = lab?.source ?? { client: {} };
  const target: Draft = lab?.target ?? { client: {} };
  let policy: ReplicationPolicy = lab?.rest.policy ?? { kind: 'default', separator: '.' };
  let origin = lab?.rest.origin ?? 'flags';
  let flow: Mm2Flow | null = null;

  if (flags.mm2Config) {
    const file = fromMm2File(flags.mm2Config, flags);
    Object.assign(source, file.source);
    Object.assign(target, file.target);
    policy = file.policy;
    flow = file.flow;
    origin = flags.mm2Config;
  }
  Object.assign(source.client, clientPropertiesFromEnv(env, 'SOURCE'));
  Object.assign(target.client, clientPropertiesFromEnv(env, 'TARGET'));
  if (flags.sourceConfig)
    Object.assign(source.client, readPropertiesFile(flags.sourceConfig, 'source client properties'));
  if (flags.targetConfig)
    Object.assign(target.client, readPropertiesFile(flags.targetConfig, 'target client properties'));
  if (flags.source) source.bootstrap = parseBootstrap(flags.source, 'source');
  if (flags.target) target.bootstrap = parseBootstrap(flags.target, 'target');
  if (flags.sourceAlias) source.alias = flags.sourceAlias;
  if (flags.targetAlias) target.alias = flags.targetAlias;
  if (flags.policy) policy = { ...policy, kind: flags.policy };
  if (!source.bootstrap) throw new ConfigError('no source bootstrap servers: pass --source host:port');
  if (!target.bootstrap) throw new ConfigError('no target bootstrap servers: pass --target host:port');
  for (const [role, draft] of [
    ['source', source],
    ['target', target],
  ] as const) {
    for (const entry of draft.bootstrap ?? []) parseBootstrap(entry, role);
  }

  const connection = (role: 'source' | 'target', draft: Draft): ClusterConnection => ({
    role,
    alias: draft.alias ?? role,
    bootstrap: draft.bootstrap ?? [],
    client: draft.client,
    security: resolveSecurity(draft.client),
    ...(flags[`${role}ConnectionUrl`] ? { connectionUrl: flags[`${role}ConnectionUrl`] } : {}),
  });
  const resolvedSource = connection('source', source);
  const resolvedTarget = connection('target', target);
  const metricsGiven = flags.metricsUrl ?? (lab?.rest.metricsUrl || undefined);
  const connectGiven = flags.connectUrl ?? (lab?.rest.connectUrl || undefined);
  const metrics = metricsGiven ? metricsEndpoint(metricsGiven) : null;
  const connect = connectGiven ? connectEndpoint(connectGiven) : null;
  return {
    source: resolvedSource,
    target: resolvedTarget,
    policy,
    metricsUrl: metrics?.url ?? null,
    connectUrl: connect?.url ?? null,
    ...(metrics?.credentials ? { metricsAuthorization: metrics.credentials.authorization } : {}),
    ...(connect?.credentials ? { connectAuthorization: connect.credentials.authorization } : {}),
    offsetsTopic: flags.offsetsTopic ?? lab?.rest.offsetsTopic ?? null,
    origin,
    flow,
    secrets: [
      ...secretValues(source.client),
      ...secretValues(target.client),
      ...(metrics?.credentials?.secrets ?? []),
      ...(connect?.credentials?.secrets ?? []),
    ],
    ...(lab?.rest.mirror ? { mirror: lab.rest.mirror } : {}),
    ...(lab?.rest.labFlows && !explicitClusters ? { labFlows: lab.rest.labFlows } : {}),
  };
}
