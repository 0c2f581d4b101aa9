import { ConfigError } from './errors.js';

export type ReplicationPolicy = { kind: 'identity' | 'default'; separator: string };

export const HEARTBEATS_TOPIC = 'heartbeats';

const POLICY_PACKAGE = 'org.apache.kafka.connect.mirror.';
const POLICY_KINDS: Record<string, ReplicationPolicy['kind']> = {
  IdentityReplicationPolicy: 'identity',
  DefaultReplicationPolicy: 'default',
};

/** Reads `replication.policy.class` and `replication.policy.separator` as MM2 does. */
export function replicationPolicyFrom(properties: Map<string, string>, fileName: string): ReplicationPolicy {
  const className = (properties.get('replication.policy.class') ?? '').trim();
  const simpleName = className.startsWith(POLICY_PACKAGE)
    ? className.slice(POLICY_PACKAGE.length)
    : className;
  const kind = className === '' ? 'default' : POLICY_KINDS[simpleName];
  if (!kind) {
    throw new ConfigError(
      `${fileName}: replication.policy.class ${className} is not supported (use DefaultReplicationPolicy or IdentityReplicationPolicy)`,
    );
  }
  // MM2 uses the separator verbatim, so it is not trimmed here either.
  const separator = properties.get('replication.policy.separator') ?? '.';
  if (separator === '') throw new ConfigError(`${fileName}: replication.policy.separator is empty`);
  return { kind, separator };
}

/** IdentityReplicationPolicy still prefixes anything that ends like a heartbeats topic, as Kafka does. */
function renamesLikeDefault(policy: ReplicationPolicy, topic: string): boolean {
  return policy.kind === 'default' || topic.endsWith(HEARTBEATS_TOPIC);
}

/** Name the target cluster gives to `topic` replicated from `sourceAlias`. */
export function remoteTopicName(policy: ReplicationPolicy, sourceAlias: string, topic: string): string {
  return renamesLikeDefault(policy, topic) ? `${sourceAlias}${policy.separator}${topic}` : topic;
}

const namings = new Map<string, (topic: string) => string>();

/**
 * remoteTopicName for one policy and source alias, as one function while they are the same (by value):
 * what is computed from a naming can be kept with it.
 */
export function remoteTopicNaming(policy: ReplicationPolicy, sourceAlias: string): (topic: string) => string {
  const key = `${policy.kind}\u0000${policy.separator}\u0000${sourceAlias}`;
  let naming = namings.get(key);
  if (!naming) {
    const kept = { ...policy };
    naming = (topic) => remoteTopicName(kept, sourceAlias, topic);
    namings.set(key, naming);
  }
  return naming;
}

/** Inverse of remoteTopicName: the source topic, or undefined when `remoteTopic` did not come from `sourceAlias`. */
export function sourceTopicName(
  policy: ReplicationPolicy,
  sourceAlias: string,
  remoteTopic: string,
): string | undefined {
  if (!renamesLikeDefault(policy, remoteTopic)) return remoteTopic;
  const prefix = `${sourceAlias}${policy.separator}`;
  if (!remoteTopic.startsWith(prefix) || remoteTopic.length === prefix.length) return undefined;
  return remoteTopic.slice(prefix.length);
}
