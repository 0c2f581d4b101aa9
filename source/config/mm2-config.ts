import { type ClientProperties, isClientSecurityKey } from './client-properties.js';
import { ConfigError } from './errors.js';
import { compilePatternList, splitList } from './java-regex.js';
import type { Mm2Flow } from './mm2-flow.js';
import { parseProperties } from './properties.js';
import { type ReplicationPolicy, replicationPolicyFrom } from './replication-policy.js';

export {
  groupSelected,
  isHeartbeatsTopic,
  isInternalTopic,
  type Mm2Flow,
  topicSelected,
} from './mm2-flow.js';
export { type ReplicationPolicy, remoteTopicName, sourceTopicName } from './replication-policy.js';

export interface ClusterSettings {
  alias: string;
  bootstrap: string[];
  /** Security settings for this cluster: global `security.protocol`/`sasl.*`/`ssl.*` overridden by `<alias>.` ones. */
  client: ClientProperties;
}

export interface Mm2Config {
  clusters: Map<string, ClusterSettings>;
  flows: Mm2Flow[];
  policy: ReplicationPolicy;
  offsetSyncsTopicLocation: 'source' | 'target';
}

// Defaults of DefaultTopicFilter / DefaultGroupFilter and MirrorConnectorConfig (Kafka 3.x).
const TOPICS_DEFAULT = '.*';
const TOPICS_EXCLUDE_DEFAULT = '.*[\\-\\.]internal, .*\\.replica, __.*';
const GROUPS_DEFAULT = '.*';
const GROUPS_EXCLUDE_DEFAULT = 'console-consumer-.*, connect-.*, __.*';
const EMIT_HEARTBEATS_DEFAULT = true;
const EMIT_CHECKPOINTS_DEFAULT = true;
const SYNC_GROUP_OFFSETS_DEFAULT = false;
/** MirrorSourceConfig.REPLICATION_FACTOR_DEFAULT (Kafka 3.x and 4.x). */
export const MM2_REPLICATION_FACTOR_DEFAULT = 2;

class Mm2Properties {
  constructor(
    readonly properties: Map<string, string>,
    readonly fileName: string,
  ) {}

  fail(problem: string): never {
    throw new ConfigError(`${this.fileName}: ${problem}`);
  }

  boolean(key: string, fallback: boolean): boolean {
    const raw = this.properties.get(key);
    if (raw === undefined) return fallback;
    const value = raw.trim().toLowerCase();
    if (value !== 'true' && value !== 'false') this.fail(`${key} must be true or false, not '${raw}'`);
    return value === 'true';
  }
}

/** A replication flow's view of the file: `a->b.<key>` wins over the global `<key>`, as in connectorBaseConfig. */
class FlowProperties {
  private readonly prefix: string;

  constructor(
    private readonly file: Mm2Properties,
    readonly source: string,
    readonly target: string,
  ) {
    this.prefix = `${source}->${target}.`;
  }

  private keyFor(key: string): string {
    return this.file.properties.has(this.prefix + key) ? this.prefix + key : key;
  }

  get(key: string): string | undefined {
    return this.file.properties.get(this.keyFor(key));
  }

  boolean(key: string, fallback: boolean): boolean {
    return this.file.boolean(this.keyFor(key), fallback);
  }

  /** A whole number (negative ones too: MM2 takes -1 as "the target broker's default"). */
  integer(key: string, fallback: number): number {
    const raw = this.get(key);
    if (raw === undefined) return fallback;
    const value = Number(raw.trim());
    if (raw.trim() === '' || !Number.isInteger(value))
      this.file.fail(`${this.keyFor(key)} must be a whole number, not '${raw}'`);
    return value;
  }

  /** A pattern list; `deprecatedKey` (the old *.blacklist name) only counts when `key` is set nowhere. */
  patterns(key: string, fallback: string, deprecatedKey?: string): string[] {
    const usedKey =
      this.get(key) !== undefined || !deprecatedKey ? this.keyFor(key) : this.keyFor(deprecatedKey);
    const patterns = splitList(this.file.properties.get(usedKey) ?? fallback);
    try {
      compilePatternList(patterns);
    } catch {
      this.file.fail(`${usedKey} = ${patterns.join(', ')} is not a valid regular expression`);
    }
    return patterns;
  }
}

function clusterAliases(file: Mm2Properties): string[] {
  const raw = file.properties.get('clusters');
  const aliases = [...new Set(splitList(raw ?? ''))];
  if (aliases.length === 0) file.fail('clusters is not set (expected e.g. clusters = source, target)');
  return aliases;
}

function clusterSettings(file: Mm2Properties, alias: string): ClusterSettings {
  const { properties } = file;
  const prefix = `${alias}.`;
  const bootstrapKey = properties.has(`${prefix}bootstrap.servers`)
    ? `${prefix}bootstrap.servers`
    : 'bootstrap.servers';
  const bootstrap = splitList(properties.get(bootstrapKey) ?? '');
  if (bootstrap.length === 0) file.fail(`cluster ${alias} has no ${prefix}bootstrap.servers`);
  const client: ClientProperties = {};
  for (const [key, value] of properties) if (isClientSecurityKey(key)) client[key] = value;
  for (const [key, value] of properties) {
    const local = key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
    if (local !== undefined && isClientSecurityKey(local)) client[local] = value;
  }
  return { alias, bootstrap, client };
}

function flowFrom(flow: FlowProperties): Mm2Flow {
  return {
    source: flow.source,
    target: flow.target,
    topics: flow.patterns('topics', TOPICS_DEFAULT),
    topicsExclude: flow.patterns('topics.exclude', TOPICS_EXCLUDE_DEFAULT, 'topics.blacklist'),
    groups: flow.patterns('groups', GROUPS_DEFAULT),
    groupsExclude: flow.patterns('groups.exclude', GROUPS_EXCLUDE_DEFAULT, 'groups.blacklist'),
    emitHeartbeats: flow.boolean('emit.heartbeats.enabled', EMIT_HEARTBEATS_DEFAULT),
    emitCheckpoints: flow.boolean('emit.checkpoints.enabled', EMIT_CHECKPOINTS_DEFAULT),
    syncGroupOffsets: flow.boolean('sync.group.offsets.enabled', SYNC_GROUP_OFFSETS_DEFAULT),
    replicationFactor: flow.integer('replication.factor', MM2_REPLICATION_FACTOR_DEFAULT),
  };
}

// `a->b.enabled`; a target alias containing dots cannot be told apart from settings like `a->b.emit.heartbeats.enabled`.
const FLOW_ENABLED_KEY = /^(.+?)->([^.]+)\.enabled$/;

/** Flows are only built for declared clusters, so a flow naming an undeclared alias is almost surely a typo. */
function checkFlowAliases(file: Mm2Properties, aliases: string[]): void {
  for (const key of file.properties.keys()) {
    const match = FLOW_ENABLED_KEY.exec(key);
    if (!match || !file.boolean(key, false)) continue;
    for (const alias of [match[1]!, match[2]!]) {
      if (!aliases.includes(alias))
        file.fail(`${key} names cluster ${alias}, which is not listed in clusters`);
    }
  }
}

function checkNoPerFlowPolicy(file: Mm2Properties): void {
  for (const key of file.properties.keys()) {
    const arrow = key.indexOf('->');
    if (arrow >= 0 && key.includes('.replication.policy.', arrow)) {
      file.fail(`${key}: per-flow replication policies are not supported; set replication.policy.* globally`);
    }
  }
}

function offsetSyncsTopicLocation(file: Mm2Properties): 'source' | 'target' {
  const raw = file.properties.get('offset-syncs.topic.location') ?? 'source';
  const value = raw.trim().toLowerCase();
  if (value !== 'source' && value !== 'target') {
    file.fail(`offset-syncs.topic.location must be source or target, not '${raw}'`);
  }
  return value;
}

/** Reads an MM2 dedicated-mode properties file (connect-mirror-maker.sh) the way MirrorMakerConfig does. */
export function parseMm2Config(text: string, fileName = 'mm2.properties'): Mm2Config {
  const file = new Mm2Properties(parseProperties(text, fileName), fileName);
  const aliases = clusterAliases(file);
  const clusters = new Map(aliases.map((alias) => [alias, clusterSettings(file, alias)]));
  checkFlowAliases(file, aliases);
  checkNoPerFlowPolicy(file);
  const flows: Mm2Flow[] = [];
  for (const source of aliases) {
    for (const target of aliases) {
      if (source === target || !file.boolean(`${source}->${target}.enabled`, false)) continue;
      flows.push(flowFrom(new FlowProperties(file, source, target)));
    }
  }
  if (flows.length === 0) {
    file.fail(
      `no replication flow is enabled (expected e.g. ${aliases[0]}->${aliases[1] ?? 'target'}.enabled = true)`,
    );
  }
  return {
    clusters,
    flows,
    policy: replicationPolicyFrom(file.properties, fileName),
    offsetSyncsTopicLocation: offsetSyncsTopicLocation(file),
  };
}
