/**
 * Topic configs as a cluster holds them (DescribeConfigs): the ones set on the topic itself (not
 * broker or default values), and every config name the cluster lists for the topic.
 */
import kafkajs, { type Admin } from 'kafkajs';

// kafkajs is CommonJS: its enums are not visible as named ESM exports.
const { ConfigResourceTypes, ConfigSource } = kafkajs;

export type ConfigEntries = Awaited<
  ReturnType<Admin['describeConfigs']>
>['resources'][number]['configEntries'];

/** `configNames` undefined: all of them. */
async function describeOnce(
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
 * Topic → its config entries, of `configNames` or all. One DescribeConfigs request; a topic deleted
 * meanwhile fails it, and then each topic is asked alone: those the cluster no longer has are left out.
 */
export async function describeTopicConfigs(
  admin: Admin,
  topics: readonly string[],
  configNames?: readonly string[],
): Promise<Map<string, ConfigEntries>> {
  if (topics.length === 0) return new Map();
  try {
    return await describeOnce(admin, topics, configNames);
  } catch (error) {
    if (!unknownTopic(error)) throw error;
  }
  const byTopic = new Map<string, ConfigEntries>();
  for (const topic of topics) {
    const one = await describeOnce(admin, [topic], configNames).catch((e: unknown) => {
      if (unknownTopic(e)) return new Map<string, ConfigEntries>();
      throw e;
    });
    for (const [name, entries] of one) byTopic.set(name, entries);
  }
  return byTopic;
}

/** The entries set on the topic itself, of the names `keep` accepts (all without it). */
export function configsSetOn(
  entries: ConfigEntries,
  keep?: (name: string) => boolean,
): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const entry of entries) {
    if (entry.configSource !== ConfigSource.TOPIC_CONFIG || entry.configValue === null) continue;
    if (keep && !keep(entry.configName)) continue;
    configs[entry.configName] = entry.configValue;
  }
  return configs;
}

/** Topic → the configs set on the topic itself: of `configNames`, or of every name `keep` accepts. */
export async function topicConfigsSet(
  admin: Admin,
  topics: readonly string[],
  which: { configNames?: readonly string[]; keep?: (name: string) => boolean },
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for (const [topic, entries] of await describeTopicConfigs(admin, topics, which.configNames))
    out.set(topic, configsSetOn(entries, which.keep));
  return out;
}
