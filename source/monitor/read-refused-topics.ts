/**
 * Why the target refuses to create the topics missing there: MM2 creates each remote topic with the
 * source topic's configs (configsMm2Copies), and a target on a newer Kafka may refuse one (4.x takes no
 * segment.bytes under 1 MB and knows no message.format.version or message.downconversion.enable). MM2
 * then leaves the topic missing and says why only in its Connect log. Asked of the target with the same
 * configs through a validate-only CreateTopics, which creates nothing.
 */
import kafkajs, { type Admin } from 'kafkajs';
import { type ConfigEntries, describeTopicConfigs } from '../kafka/topic-configs.js';
import { refusedTopics, type TopicToCreate } from '../kafka/topic-creation.js';
import { MM2_UNSYNCED_CONFIGS } from './read-topic-configs.js';
import type { Snapshot } from './snapshot.js';

// kafkajs is CommonJS: its enums are not visible as named ESM exports.
const { ConfigSource } = kafkajs;

/**
 * The configs MM2 creates a remote topic with (MirrorSourceConnector.targetConfig, Kafka 3.x and 4.x):
 * every entry not at its default, neither read-only nor sensitive, not from the brokers' static
 * server.properties, and not in `config.properties.exclude`. Not only those set on the topic: a dynamic
 * broker config counts too. A 3.x cluster with `log.message.downconversion.enable` set through
 * kafka-configs gives `message.downconversion.enable` to every topic, and a 4.x target, which knows no
 * such config, then refuses every topic MM2 creates (seen on the lab).
 */
export function configsMm2Copies(entries: ConfigEntries): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const e of entries) {
    if (e.isDefault || e.configSource === ConfigSource.DEFAULT_CONFIG) continue;
    if (e.configSource === ConfigSource.STATIC_BROKER_CONFIG || e.readOnly || e.isSensitive) continue;
    if (e.configValue === null || MM2_UNSYNCED_CONFIGS.has(e.configName)) continue;
    configs[e.configName] = e.configValue;
  }
  return configs;
}

/** Target topic name → the target's reason; empty when nothing is missing or nothing is refused. */
export async function readRefusedTopics(
  source: Admin,
  target: Admin,
  snapshot: Pick<Snapshot, 'mirror' | 'source' | 'target'>,
  mm2ReplicationFactor?: number,
): Promise<Map<string, string>> {
  const missing = snapshot.mirror.topics.filter((t) => t.state === 'missing');
  if (missing.length === 0) return new Map();
  const configs = await describeTopicConfigs(
    source,
    missing.map((t) => t.source),
  );
  // MM2's replication.factor when known (its default, 2, refuses every topic on a one-broker target);
  // else a guess that cannot be refused, whose refusals would be mirrorwatch's and not MM2's. -1 (the
  // target's default) cannot be asked through CreateTopics v3, the newest kafkajs speaks.
  const asMm2 =
    mm2ReplicationFactor !== undefined && mm2ReplicationFactor > 0 ? mm2ReplicationFactor : undefined;
  const targetBrokers = Math.max(1, snapshot.target.brokers.length);
  const replication = new Map(snapshot.source.topics.map((t) => [t.name, t.replicationFactor]));
  const entriesOf = new Map<string, ConfigEntries>();
  const topics: TopicToCreate[] = missing.flatMap((t) => {
    const entries = configs.get(t.source);
    if (entries === undefined) return []; // gone from the source meanwhile
    entriesOf.set(t.target, entries);
    return [
      {
        name: t.target,
        partitions: t.sourcePartitions,
        replicationFactor: asMm2 ?? Math.min(replication.get(t.source) ?? 1, targetBrokers),
        configs: configsMm2Copies(entries),
      },
    ];
  });
  const answers = await refusedTopics(target, topics);
  const refused = mm2Refusals(answers, asMm2 !== undefined);
  for (const [topic, reason] of refused)
    refused.set(
      topic,
      answers.get(topic)?.type === 'INVALID_REPLICATION_FACTOR'
        ? `${reason}; MM2 creates remote topics with its replication.factor, ${asMm2}`
        : withOrigin(reason, entriesOf.get(topic) ?? []),
    );
  return refused;
}

/** Whether `text` names `config` as a whole word (not as part of a longer config name). */
function mentions(text: string, config: string): boolean {
  if (config === '') return false;
  const partOfName = (c: string | undefined) => c !== undefined && /[\w.-]/.test(c);
  for (let at = text.indexOf(config); at >= 0; at = text.indexOf(config, at + 1))
    if (!partOfName(text[at - 1]) && !partOfName(text[at + config.length])) return true;
  return false;
}

/**
 * The reason, and where a config it names comes from when that is not the topic itself: a config no
 * `kafka-configs --entity-type topics` shows on the source topic would otherwise be a riddle.
 */
export function withOrigin(reason: string, entries: ConfigEntries): string {
  const fromBrokers = entries
    .filter(
      (e) =>
        (e.configSource === ConfigSource.DYNAMIC_BROKER_CONFIG ||
          e.configSource === ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG) &&
        mentions(reason, e.configName),
    )
    .map((e) => e.configName);
  if (fromBrokers.length === 0) return reason;
  const [is, it] =
    fromBrokers.length === 1 ? ['is a dynamic broker config', 'it'] : ['are dynamic broker configs', 'them'];
  return `${reason}; on the source, ${fromBrokers.join(', ')} ${is} (not set on the topic), which MM2 copies unless config.properties.exclude names ${it}`;
}

/**
 * Refusals that say why MM2 cannot create a topic: about the topic's configs (INVALID_CONFIG, or a
 * CreateTopicPolicy of the target's), and about the replication factor when it was MM2's own. Others
 * are about mirrorwatch's own request: its principal may not create topics (TOPIC_AUTHORIZATION_FAILED,
 * MM2's may), or the replication factor it guessed.
 */
export function mm2Refusals(
  refused: ReadonlyMap<string, { type: string; message: string }>,
  replicationFactorIsMm2s = false,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [topic, r] of refused)
    if (
      r.type === 'INVALID_CONFIG' ||
      r.type === 'POLICY_VIOLATION' ||
      (replicationFactorIsMm2s && r.type === 'INVALID_REPLICATION_FACTOR')
    )
      out.set(topic, r.message);
  return out;
}
