/**
 * The topic configs set on the source that the target copies lack: what MM2's topic-config sync
 * (`sync.topic.configs.enabled`) should have carried over. One DescribeConfigs request per cluster.
 */
import type { Admin } from 'kafkajs';
import { configsSetOn, describeTopicConfigs } from '../kafka/topic-configs.js';
import type { ConfigDrift } from '../model/runbook.js';
import type { MirrorTopic } from './snapshot.js';

/** MM2's DefaultConfigPropertyFilter never syncs these (`config.properties.exclude`). */
export const MM2_UNSYNCED_CONFIGS: ReadonlySet<string> = new Set([
  'follower.replication.throttled.replicas',
  'leader.replication.throttled.replicas',
  'message.timestamp.difference.max.ms',
  'message.timestamp.type',
  'unclean.leader.election.enable',
  'min.insync.replicas',
]);

/** Topic name → the configs set on the topic itself (not broker or default values). */
export type TopicConfigs = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * Pure: each config set on a source topic and not equal on its target copy. `targetKnown`, topic name →
 * every config name the target lists for it: a config the target does not know at all (one a newer
 * Kafka removed, `message.format.version` on 4.x) cannot be synced, and is no drift.
 */
export function configDrift(
  topics: readonly Pick<MirrorTopic, 'source' | 'target'>[],
  source: TopicConfigs,
  target: TopicConfigs,
  targetKnown?: ReadonlyMap<string, ReadonlySet<string>>,
): ConfigDrift[] {
  const drift: ConfigDrift[] = [];
  for (const t of topics) {
    const targetConfigs = target.get(t.target);
    const known = targetKnown?.get(t.target);
    for (const [config, value] of source.get(t.source) ?? []) {
      if (MM2_UNSYNCED_CONFIGS.has(config)) continue;
      if (known !== undefined && known.size > 0 && !known.has(config)) continue;
      const copied = targetConfigs?.get(config) ?? null;
      if (copied !== value) drift.push({ topic: t.source, config, source: value, target: copied });
    }
  }
  return drift;
}

/** The configs set on each topic, and every config name the cluster lists for it (set or not). */
async function topicConfigs(
  admin: Admin,
  names: readonly string[],
): Promise<{ set: TopicConfigs; known: Map<string, Set<string>> }> {
  const set = new Map<string, Map<string, string>>();
  const known = new Map<string, Set<string>>();
  for (const [topic, entries] of await describeTopicConfigs(admin, names)) {
    set.set(topic, new Map(Object.entries(configsSetOn(entries))));
    known.set(topic, new Set(entries.map((e) => e.configName)));
  }
  return { set, known };
}

/**
 * Reads both sides' topic configs of the mirrored topics present on the target and compares them,
 * through admin clients the caller has connected.
 */
export async function readConfigDrift(
  source: Admin,
  target: Admin,
  topics: readonly MirrorTopic[],
): Promise<ConfigDrift[]> {
  const present = topics.filter((t) => t.state !== 'missing');
  const [sourceConfigs, targetConfigs] = await Promise.all([
    topicConfigs(
      source,
      present.map((t) => t.source),
    ),
    topicConfigs(
      target,
      present.map((t) => t.target),
    ),
  ]);
  return configDrift(present, sourceConfigs.set, targetConfigs.set, targetConfigs.known);
}
