/**
 * Creating the source topics that are missing on the target: same partition count, the topic configs
 * that matter copied from the source, names mapped through the replication policy.
 */
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { MM2_UNSYNCED_CONFIGS } from '../monitor/read-topic-configs.js';
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

type ConfigEntries = Awaited<ReturnType<Admin['describeConfigs']>>['resources'][number]['configEntries'];

/** `configNames` undefined: all of them. */
async function describeTopicConfigs(
  admin: Admin,
  topics: string[],
  configNames: string[] | undefined,
): Promise<Map<string, ConfigEntries>> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      ...(configNames ? { configNames } : {}),
    })),
  });
  return new Map(described.resources.map((r) => [r.resourceName, r.configEntries]));
}

/**
 * Fills each planned topic's configs from the source cluster (one DescribeConfigs request). A topic
 * deleted from the source since the snapshot fails the whole request: then each is asked alone, and
 * those the source no longer has leave the plan.
 */
export async function withSourceConfigs(source: Kafka, plan: PlannedTopic[]): Promise<PlannedTopic[]> {
  if (plan.length === 0) return plan;
  return withAdmin(source, (admin) => sourceConfigsBy(admin, plan));
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

/**
 * withSourceConfigs with a connected admin of the source: the configs set on each source topic, of
 * `configNames` (those `T` copies), or of every name `copies` keeps.
 */
export async function sourceConfigsBy(
  admin: Admin,
  plan: PlannedTopic[],
  copied: { configNames?: string[]; copies?: (name: string) => boolean } = {
    configNames: [...COPIED_CONFIGS],
  },
): Promise<PlannedTopic[]> {
  if (plan.length === 0) return plan;
  let byTopic: Map<string, ConfigEntries>;
  try {
    byTopic = await describeTopicConfigs(
      admin,
      plan.map((p) => p.source),
      copied.configNames,
    );
  } catch (error) {
    if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    byTopic = new Map();
    for (const p of plan) {
      const one = await describeTopicConfigs(admin, [p.source], copied.configNames).catch(
        (e: { type?: string }) => {
          if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION') return new Map<string, ConfigEntries>();
          throw e;
        },
      );
      for (const [name, entries] of one) byTopic.set(name, entries);
    }
  }
  return plan.flatMap((p) => {
    const entries = byTopic.get(p.source);
    if (entries === undefined) return [];
    const configs: Record<string, string> = {};
    for (const entry of entries) {
      if (entry.configSource !== ConfigSource.TOPIC_CONFIG || entry.configValue === null) continue;
      if (copied.copies && !copied.copies(entry.configName)) continue;
      configs[entry.configName] = entry.configValue;
    }
    return [{ ...p, configs }];
  });
}

/**
 * Topic → the broker's reason per refused topic of a CreateTopics that failed (kafkajs gathers them in
 * an aggregate error; the message is the broker's where it sent one: "Invalid value 100 for
 * configuration segment.bytes: Value must be at least 1048576"). Empty for any other error.
 */
export function refusals(error: unknown): Map<string, { type: string; message: string }> {
  const out = new Map<string, { type: string; message: string }>();
  const errors = (error as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return out;
  for (const e of errors as Array<{
    topic?: unknown;
    type?: unknown;
    message?: unknown;
    brokerMessage?: unknown;
  }>) {
    if (typeof e.topic !== 'string') continue;
    const message =
      typeof e.brokerMessage === 'string' && e.brokerMessage !== '' ? e.brokerMessage : e.message;
    out.set(e.topic, {
      type: String(e.type ?? ''),
      message: String(message ?? 'refused').split('\n')[0] as string,
    });
  }
  return out;
}

function topicEntry(p: PlannedTopic) {
  return {
    topic: p.target,
    numPartitions: p.partitions,
    replicationFactor: p.replicationFactor,
    configEntries: Object.entries(p.configs).map(([name, value]) => ({ name, value })),
  };
}

/**
 * The plan with the target's verdict on each topic: one CreateTopics with validate_only, which creates
 * nothing. When the question itself fails (no permission, an old broker), the plan comes back as it was.
 */
export async function validatedOnTarget(target: Kafka, plan: PlannedTopic[]): Promise<PlannedTopic[]> {
  if (plan.length === 0) return plan;
  return withAdmin(target, (admin) => validatedBy(admin, plan));
}

/** validatedOnTarget with a connected admin of the target. */
export async function validatedBy(admin: Admin, plan: PlannedTopic[]): Promise<PlannedTopic[]> {
  if (plan.length === 0) return plan;
  try {
    await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: plan.map(topicEntry) });
    return plan;
  } catch (error) {
    const refused = refusals(error);
    return plan.map((p) => {
      const r = refused.get(p.target);
      return r && r.type !== 'TOPIC_ALREADY_EXISTS' ? { ...p, refused: r.message } : p;
    });
  }
}

/**
 * Target topic name → why the target refuses to create it, for the snapshot's missing topics with the
 * configs MM2 copies when it creates a remote topic: every config set on the source topic but those
 * its default `config.properties.exclude` leaves out. This is why MM2 has not created such a topic (its
 * Connect log says so; the clusters do not). `T` copies fewer configs, so it may still create it.
 * Empty when nothing is missing or either question fails.
 */
export async function refusedMissingTopics(
  sourceAdmin: Admin,
  targetAdmin: Admin,
  snapshot: Snapshot,
): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  const plan = missingTopicsPlan(snapshot);
  if (plan.length === 0) return refused;
  const checked = await sourceConfigsBy(sourceAdmin, plan, {
    copies: (name) => !MM2_UNSYNCED_CONFIGS.has(name),
  })
    .then((withConfigs) => validatedBy(targetAdmin, withConfigs))
    .catch(() => []);
  for (const t of checked) if (t.refused !== undefined) refused.set(t.target, t.refused);
  return refused;
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
        await admin.createTopics({ waitForLeaders: true, topics: [topicEntry(p)] });
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
