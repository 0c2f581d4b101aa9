/**
 * Whether a cluster would create given topics, and why not (CreateTopics with validate_only, which
 * creates nothing; the broker's own words, which kafkajs keeps with our patch). The configs to create
 * them with come from kafka/topic-configs.ts.
 */
import type { Admin } from 'kafkajs';

export interface TopicToCreate {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
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
