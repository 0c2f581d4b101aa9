/**
 * `topic\0partition`, the key of every per-partition map. Each key string is built once and reused:
 * a fresh string per lookup costs a number-to-string conversion, a concatenation and a hash every
 * time, which at 100,000 partitions made a refresh's join several times slower
 * (`npm run simulate`). A reused string keeps its hash.
 */
const keysByTopic = new Map<string, Array<string | undefined>>();
/** Bounds the cache when topics come and go (deleted topics leave their keys behind until then). */
const MAX_TOPICS = 200_000;
const MAX_CACHED_PARTITION = 100_000;

export function partitionKey(topic: string, partition: number): string {
  if (!Number.isInteger(partition) || partition < 0 || partition > MAX_CACHED_PARTITION)
    return `${topic}\u0000${partition}`;
  return partitionKeyIn(topicKeys(topic), topic, partition);
}

/** The topic asked last: lists run topic by topic, so most lookups are of the same topic again. */
let lastTopic: string | null = null;
let lastKeys: Array<string | undefined> = [];

/** A topic's cached keys by partition, for loops over its partitions: one map lookup per topic. */
export function topicKeys(topic: string): Array<string | undefined> {
  if (topic === lastTopic) return lastKeys;
  let keys = keysByTopic.get(topic);
  if (!keys) {
    if (keysByTopic.size >= MAX_TOPICS) keysByTopic.clear();
    keys = [];
    keysByTopic.set(topic, keys);
  }
  lastTopic = topic;
  lastKeys = keys;
  return keys;
}

/** partitionKey, given `topicKeys(topic)`. */
export function partitionKeyIn(keys: Array<string | undefined>, topic: string, partition: number): string {
  if (!Number.isInteger(partition) || partition < 0 || partition > MAX_CACHED_PARTITION)
    return `${topic}\u0000${partition}`;
  let key = keys[partition];
  if (key === undefined) {
    // Joined, not concatenated: V8 keeps a concatenation as a tree of string pieces (about 140 bytes
    // a key with its map entry, against 77 flat); these keys live as long as their topic.
    key = [topic, partition].join('\u0000');
    keys[partition] = key;
  }
  return key;
}
