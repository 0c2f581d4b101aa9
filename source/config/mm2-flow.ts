import { ConfigError } from './errors.js';
import { compilePatternList } from './java-regex.js';
import { HEARTBEATS_TOPIC, type ReplicationPolicy } from './replication-policy.js';

export interface Mm2Flow {
  source: string;
  target: string;
  topics: string[];
  topicsExclude: string[];
  groups: string[];
  groupsExclude: string[];
  emitHeartbeats: boolean;
  emitCheckpoints: boolean;
  syncGroupOffsets: boolean;
  /** `replication.factor`: what MM2 creates remote topics with (-1: the target's default); absent when unknown. */
  replicationFactor?: number;
}

const compiled = new Map<string, RegExp | undefined>();

function matchesAny(patterns: readonly string[], name: string): boolean {
  const key = patterns.join('\u0000');
  if (!compiled.has(key)) {
    try {
      compiled.set(key, compilePatternList(patterns));
    } catch {
      throw new ConfigError(`pattern list ${patterns.join(', ')} is not a valid regular expression`);
    }
  }
  return compiled.get(key)?.test(name) ?? false;
}

/** ReplicationPolicy#isInternalTopic: Kafka's own (`__*`, `.*`), Connect's and MM2's (`*.internal`) topics. */
export function isInternalTopic(topic: string, policy?: ReplicationPolicy): boolean {
  const separator = policy?.separator ?? '.';
  return (
    topic.startsWith('__') ||
    topic.startsWith('.') ||
    topic.endsWith('.internal') ||
    topic.endsWith('-internal') ||
    topic.endsWith(`${separator}internal`)
  );
}

/** `heartbeats` and its remote copies (`a.heartbeats`, `b.a.heartbeats`). */
export function isHeartbeatsTopic(topic: string, policy?: ReplicationPolicy): boolean {
  return topic === HEARTBEATS_TOPIC || topic.endsWith(`${policy?.separator ?? '.'}${HEARTBEATS_TOPIC}`);
}

/** MirrorSourceConnector#isCycle: a topic that already came from the target must not go back to it. */
export function isCycle(flow: Pick<Mm2Flow, 'target'>, topic: string, policy: ReplicationPolicy): boolean {
  // IdentityReplicationPolicy cannot tell where a topic came from, so MM2 cannot detect cycles with it.
  if (policy.kind === 'identity') return false;
  const sources = topic.split(policy.separator).slice(0, -1);
  return sources.includes(flow.target);
}

/**
 * Whether MM2 replicates this user topic on `flow`: it must match `topics`, not `topics.exclude`, and not be an
 * internal topic. Heartbeat topics, which MM2 mirrors on its own, are not user topics and are never selected.
 * Pass the policy to also apply MM2's cycle check and a custom separator.
 */
export function topicSelected(flow: Mm2Flow, topic: string, policy?: ReplicationPolicy): boolean {
  if (isInternalTopic(topic, policy) || isHeartbeatsTopic(topic, policy)) return false;
  if (policy && isCycle(flow, topic, policy)) return false;
  return matchesAny(flow.topics, topic) && !matchesAny(flow.topicsExclude, topic);
}

/** DefaultGroupFilter: the group must match `groups` and not `groups.exclude`. */
export function groupSelected(flow: Mm2Flow, group: string): boolean {
  return matchesAny(flow.groups, group) && !matchesAny(flow.groupsExclude, group);
}
