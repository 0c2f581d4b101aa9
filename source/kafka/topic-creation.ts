/**
 * What creating topics takes from a cluster: the configs set on existing topics (DescribeConfigs), and
 * whether a cluster would create given topics, and why not (CreateTopics with validate_only, which
 * creates nothing; the broker's own words, which kafkajs keeps with our patch).
 */
import kafkajs, { type Admin } from 'kafkajs';

// kafkajs is CommonJS: its enums are not visible as named ESM exports.
const { ConfigResourceTypes, ConfigSource } = kafkajs;

export interface TopicToCreate {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

type ConfigEntries = Awaited<ReturnType<Admin['describeConfigs']>>['resources'][number]['configEntries'];

/** `configNames` undefined: all of them. */
async function describeTopicConfigs(
  admin: Admin,
  topics: readonly string[],
  configNames: readonly string[] | undefined,
): Promise<Map<string, ConfigEntries>> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      ...(configNames ? { configNames: [...configNames] } : {}),
    })),
  });
  return new Map(described.resources.map((r) => [r.resourceName, r.configEntries]));
}

function unknownTopic(error: unknown): boolean {
  return (error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION';
}

/**
 * Topic → the configs set on the topic itself (not broker or default values): of `configNames`, or of
 * every name `keep` accepts. One DescribeConfigs request; a topic deleted meanwhile fails it, and then
 * each topic is asked alone: those the cluster no longer has are left out.
 */
export async function topicConfigsSet(
  admin: Admin,
  topics: readonly string[],
  which: { configNames?: readonly string[]; keep?: (name: string) => boolean },
): Promise<Map<string, Record<string, string>>> {
  if (topics.length === 0) return new Map();
  let byTopic: Map<string, ConfigEntries>;
  try {
    byTopic = await describeTopicConfigs(admin, topics, which.configNames);
  } catch (error) {
    if (!unknownTopic(error)) throw error;
    byTopic = new Map();
    for (const topic of topics) {
      const one = await describeTopicConfigs(admin, [topic], which.configNames).catch((e: unknown) => {
        if (unknownTopic(e)) return new Map<string, ConfigEntries>();
        throw e;
      });
      for (const [name, entries] of one) byTopic.set(name, entries);
    }
  }
  const out = new Map<string, Record<string, string>>();
  for (const [topic, entries] of byTopic) {
    const configs: Record<string, string> = {};
    for (const entry of entries) {
      if (entry.configSource !== ConfigSource.TOPIC_CONFIG || entry.configValue === null) continue;
      if (which.keep && !which.keep(entry.configName)) continue;
      configs[entry.configName] = entry.configValue;
    }
    out.set(topic, configs);
  }
  return out;
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

export function createTopicEntry(t: TopicToCreate) {
  return {
    topic: t.name,
    numPartitions: t.partitions,
    replicationFactor: t.replicationFactor,
    configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
  };
}

/**
 * Topic → why the cluster refuses to create it (the error's type and the broker's words): one
 * CreateTopics with validate_only for all of them.
 * A topic that exists already is not refused. Throws when the question itself fails (no permission,
 * a broker that does not answer).
 */
export async function refusedTopics(
  admin: Admin,
  topics: readonly TopicToCreate[],
): Promise<Map<string, { type: string; message: string }>> {
  const refused = new Map<string, { type: string; message: string }>();
  if (topics.length === 0) return refused;
  try {
    await admin.createTopics({
      validateOnly: true,
      waitForLeaders: false,
      topics: topics.map(createTopicEntry),
    });
  } catch (error) {
    const found = refusals(error);
    if (found.size === 0) throw error;
    for (const [topic, r] of found) if (r.type !== 'TOPIC_ALREADY_EXISTS') refused.set(topic, r);
  }
  return refused;
}
