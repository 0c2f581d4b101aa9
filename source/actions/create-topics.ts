/**
 * Creating the source topics that are missing on the target: same partition count, the topic configs
 * that matter copied from the source, names mapped through the replication policy.
 */
import type { Admin, Kafka } from 'kafkajs';
import { topicConfigsSet } from '../kafka/topic-configs.js';
import { createTopicEntry, refusals, refusedTopics, type TopicToCreate } from '../kafka/topic-creation.js';
import type { Snapshot } from '../monitor/snapshot.js';
import type { ActionOutcome, PlannedTopic } from './types.js';

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

/**
 * Fills each planned topic's configs from the source cluster (one DescribeConfigs request): those of
 * COPIED_CONFIGS set on the topic. A topic deleted from the source since the snapshot leaves the plan.
 */
export async function withSourceConfigs(source: Kafka, plan: PlannedTopic[]): Promise<PlannedTopic[]> {
  if (plan.length === 0) return plan;
  const configs = await withAdmin(source, (admin) =>
    topicConfigsSet(
      admin,
      plan.map((p) => p.source),
      { configNames: COPIED_CONFIGS },
    ),
  );
  return plan.flatMap((p) => {
    const set = configs.get(p.source);
    return set === undefined ? [] : [{ ...p, configs: set }];
  });
}

async function withAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

function toCreate(p: PlannedTopic): TopicToCreate {
  return {
    name: p.target,
    partitions: p.partitions,
    replicationFactor: p.replicationFactor,
    configs: p.configs,
  };
}

/**
 * The plan with the target's verdict on each topic (see refusedTopics). When the question itself fails
 * (no permission, an old broker), the plan comes back as it was.
 */
export async function validatedOnTarget(target: Kafka, plan: PlannedTopic[]): Promise<PlannedTopic[]> {
  if (plan.length === 0) return plan;
  const refused = await withAdmin(target, (admin) => refusedTopics(admin, plan.map(toCreate))).catch(
    () => new Map<string, { type: string; message: string }>(),
  );
  return plan.map((p) => {
    const why = refused.get(p.target)?.message;
    return why === undefined ? p : { ...p, refused: why };
  });
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
        await admin.createTopics({ waitForLeaders: true, topics: [createTopicEntry(toCreate(p))] });
        outcomes.push({ ok: true, message: `created topic ${describe} on the target` });
      } catch (error) {
        const why = refusals(error).get(p.target)?.message ?? (error as Error).message.split('\n')[0];
        outcomes.push({ ok: false, message: `could not create topic ${p.target}: ${why}` });
      }
    }
    return outcomes;
  } finally {
    await admin.disconnect();
  }
}
