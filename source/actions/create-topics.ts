/**
 * Creating the source topics that are missing on the target: same partition count, the topic configs
 * that matter copied from the source, names mapped through the replication policy.
 */
import kafkajs, { type Kafka } from 'kafkajs';
import type { Snapshot } from '../monitor/snapshot.js';
import type { ActionOutcome, PlannedTopic } from './types.js';

// kafkajs is CommonJS: its enums are not visible as named ESM exports.
const { ConfigResourceTypes, ConfigSource } = kafkajs;

/** Topic configs that change what a consumer sees or what is kept: copied when set on the source topic. */
export const COPIED_CONFIGS = [
  'cleanup.policy',
  'retention.ms',
  'retention.bytes',
  'delete.retention.ms',
  'min.compaction.lag.ms',
  'max.compaction.lag.ms',
  'min.cleanable.dirty.ratio',
  'segment.bytes',
  'segment.ms',
  'max.message.bytes',
  'compression.type',
  'message.timestamp.type',
  'min.insync.replicas',
] as const;

/** The missing mirrors, with partitions and a replication factor the target can hold. Pure. */
export function missingTopicsPlan(snapshot: Snapshot): PlannedTopic[] {
  const targetBrokers = Math.max(1, snapshot.target.brokers.length);
  const sourceTopics = new Map(snapshot.source.topics.map((t) => [t.name, t]));
  return snapshot.mirror.topics
    .filter((m) => m.state === 'missing')
    .map((m) => ({
      source: m.source,
      target: m.target,
      partitions: m.sourcePartitions,
      replicationFactor: Math.min(sourceTopics.get(m.source)?.replicationFactor ?? 1, targetBrokers),
      configs: {},
    }));
}

/** Fills each planned topic's configs from the source cluster (one DescribeConfigs request). */
export async function withSourceConfigs(source: Kafka, plan: PlannedTopic[]): Promise<PlannedTopic[]> {
  if (plan.length === 0) return plan;
  const admin = source.admin();
  await admin.connect();
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: plan.map((p) => ({
        type: ConfigResourceTypes.TOPIC,
        name: p.source,
        configNames: [...COPIED_CONFIGS],
      })),
    });
    const byTopic = new Map(described.resources.map((r) => [r.resourceName, r.configEntries]));
    return plan.map((p) => {
      const configs: Record<string, string> = {};
      for (const entry of byTopic.get(p.source) ?? []) {
        if (entry.configSource === ConfigSource.TOPIC_CONFIG && entry.configValue !== null)
          configs[entry.configName] = entry.configValue;
      }
      return { ...p, configs };
    });
  } finally {
    await admin.disconnect();
  }
}

export async function createTopics(target: Kafka, plan: PlannedTopic[]): Promise<ActionOutcome[]> {
  if (plan.length === 0) return [{ ok: true, message: 'no topic is missing on the target' }];
  const admin = target.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const outcomes: ActionOutcome[] = [];
    for (const p of plan) {
      const describe = `${p.target} (${p.partitions} partitions, RF ${p.replicationFactor}${
        Object.keys(p.configs).length > 0
          ? `, ${Object.entries(p.configs)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}`
          : ''
      })`;
      if (existing.has(p.target)) {
        outcomes.push({ ok: true, message: `topic ${describe} already exists on the target` });
        continue;
      }
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: p.target,
              numPartitions: p.partitions,
              replicationFactor: p.replicationFactor,
              configEntries: Object.entries(p.configs).map(([name, value]) => ({ name, value })),
            },
          ],
        });
        outcomes.push({ ok: true, message: `created topic ${describe} on the target` });
      } catch (error) {
        outcomes.push({
          ok: false,
          message: `could not create topic ${p.target}: ${(error as Error).message.split('\n')[0]}`,
        });
      }
    }
    return outcomes;
  } finally {
    await admin.disconnect();
  }
}
