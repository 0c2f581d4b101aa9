/**
 * Why the target refuses to create the topics missing there: MM2 creates each remote topic with the
 * configs set on the source topic (less its `config.properties.exclude`), and a target on a newer Kafka
 * may refuse one (4.x takes no segment.bytes under 1 MB and knows no message.format.version). MM2 then
 * leaves the topic missing and says why only in its Connect log. Asked of the target with the same
 * configs through a validate-only CreateTopics, which creates nothing.
 */
import type { Admin } from 'kafkajs';
import { topicConfigsSet } from '../kafka/topic-configs.js';
import { refusedTopics, type TopicToCreate } from '../kafka/topic-creation.js';
import { MM2_UNSYNCED_CONFIGS } from './read-topic-configs.js';
import type { Snapshot } from './snapshot.js';

/** Target topic name → the target's reason; empty when nothing is missing or nothing is refused. */
export async function readRefusedTopics(
  source: Admin,
  target: Admin,
  snapshot: Pick<Snapshot, 'mirror' | 'source' | 'target'>,
): Promise<Map<string, string>> {
  const missing = snapshot.mirror.topics.filter((t) => t.state === 'missing');
  if (missing.length === 0) return new Map();
  const configs = await topicConfigsSet(
    source,
    missing.map((t) => t.source),
    { keep: (name) => !MM2_UNSYNCED_CONFIGS.has(name) },
  );
  const targetBrokers = Math.max(1, snapshot.target.brokers.length);
  const replication = new Map(snapshot.source.topics.map((t) => [t.name, t.replicationFactor]));
  const topics: TopicToCreate[] = missing.flatMap((t) => {
    const set = configs.get(t.source);
    if (set === undefined) return []; // gone from the source meanwhile
    return [
      {
        name: t.target,
        partitions: t.sourcePartitions,
        replicationFactor: Math.min(replication.get(t.source) ?? 1, targetBrokers),
        configs: set,
      },
    ];
  });
  return mm2Refusals(await refusedTopics(target, topics));
}

/**
 * Refusals that say why MM2 cannot create a topic: about the topic's configs (INVALID_CONFIG, or a
 * CreateTopicPolicy of the target's). Others are about mirrorwatch's own request: its principal may not
 * create topics (TOPIC_AUTHORIZATION_FAILED, MM2's may), or the replication factor it guessed.
 */
export function mm2Refusals(
  refused: ReadonlyMap<string, { type: string; message: string }>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [topic, r] of refused)
    if (r.type === 'INVALID_CONFIG' || r.type === 'POLICY_VIOLATION') out.set(topic, r.message);
  return out;
}
