/**
 * Reads MM2's internal topics on the target, incrementally: each refresh fetches only the records
 * written since the previous one (the topics are compacted, so the first read is bounded too).
 * - `heartbeats`: newest heartbeat per flow;
 * - `<source>.checkpoints.internal`: newest checkpoint per (group, topic, partition);
 * - the Connect offsets topic: MM2's position per source partition (MirrorSourceConnector entries).
 */
import type { ReplicationPolicy } from '../config/replication-policy.js';
import type { WireCluster } from '../kafka/wire-cluster.js';
import { CheckpointStore } from '../mm2/checkpoint-store.js';
import { decodeConnectOffsetRecord, decodeHeartbeatKey, decodeHeartbeatValue } from '../mm2/records.js';
import type { GroupTranslations } from '../model/group-translations.js';
import { partitionKey } from '../model/partition-key.js';
import type { ClusterView, TopicInfo } from './snapshot.js';

export interface HeartbeatState {
  source: string;
  target: string;
  timestampMs: number;
  recordTimestampMs: number;
}

export interface Mm2InternalState {
  heartbeats: HeartbeatState[];
  /** The newest checkpoint MM2 wrote per (topic, partition), by group: the same map until one changes. */
  checkpoints: ReadonlyMap<string, GroupTranslations>;
  /** `topic\0partition` (source-side names) -> stored offset (null: reset by a tombstone). */
  positions: Map<string, number | null>;
  /** The topic positions were read from, or null when none was found. */
  positionsTopic: string | null;
}

/** Heartbeats to read on the first refresh: only the newest matters. */
const HEARTBEAT_TAIL = 200;
/** Fetches per topic per refresh at most: a refresh stays bounded even on a large backlog. */
const MAX_FETCHES = 20;

export function positionKey(topic: string, partition: number): string {
  return partitionKey(topic, partition);
}

export function checkpointsTopicName(sourceAlias: string, policy: ReplicationPolicy): string {
  return `${sourceAlias}${policy.separator}checkpoints.internal`;
}

/** Connect offsets topics MM2 may use: dedicated mode's, Connect's default, Strimzi's, or any `*offsets` topic. */
export function offsetsTopicCandidates(
  topics: readonly string[],
  sourceAlias: string,
  configured: string | null,
): string[] {
  if (configured) return topics.includes(configured) ? [configured] : [];
  const preferred = `mm2-offsets.${sourceAlias}.internal`;
  if (topics.includes(preferred)) return [preferred];
  return topics.filter((t) => /offsets$/i.test(t) && !t.startsWith('__') && !t.includes('offset-syncs'));
}

export class Mm2InternalReader {
  private readonly next = new Map<string, Map<number, number>>();
  private readonly heartbeats = new Map<string, HeartbeatState>();
  private readonly checkpoints = new CheckpointStore();
  private readonly positions = new Map<string, number | null>();
  private positionsTopic: string | null = null;
  /** A copy handed out until a position changes (100,000 entries at scale: not copied every refresh). */
  private positionsCopy: Map<string, number | null> | null = null;

  constructor(
    private readonly wire: WireCluster,
    private readonly options: { sourceAlias: string; policy: ReplicationPolicy; offsetsTopic: string | null },
  ) {}

  /** Reads what is new; `target` is the current view of the target cluster (for partitions and offsets). */
  async read(target: ClusterView): Promise<Mm2InternalState> {
    const byName = new Map(target.topics.map((t) => [t.name, t]));
    const heartbeats = byName.get('heartbeats');
    if (heartbeats)
      await this.consume(heartbeats, HEARTBEAT_TAIL, (key, value, ts) => this.onHeartbeat(key, value, ts));
    const checkpoints = byName.get(checkpointsTopicName(this.options.sourceAlias, this.options.policy));
    if (checkpoints)
      await this.consume(checkpoints, null, (key, value, ts) => this.checkpoints.apply(key, value, ts));
    for (const name of offsetsTopicCandidates(
      [...byName.keys()],
      this.options.sourceAlias,
      this.options.offsetsTopic,
    )) {
      const topic = byName.get(name);
      if (topic) await this.consume(topic, null, (key, value) => this.onOffset(name, key, value));
    }
    return {
      heartbeats: [...this.heartbeats.values()],
      checkpoints: this.checkpoints.checkpoints(),
      positions: this.positionsCopy ?? this.copyPositions(),
      positionsTopic: this.positionsTopic,
    };
  }

  private onHeartbeat(key: Buffer | null, value: Buffer | null, recordTimestampMs: number): void {
    if (!key || !value) return;
    try {
      const k = decodeHeartbeatKey(key);
      const v = decodeHeartbeatValue(value);
      const id = `${k.sourceClusterAlias}->${k.targetClusterAlias}`;
      const previous = this.heartbeats.get(id);
      if (!previous || v.timestampMs >= previous.timestampMs) {
        this.heartbeats.set(id, {
          source: k.sourceClusterAlias,
          target: k.targetClusterAlias,
          timestampMs: v.timestampMs,
          recordTimestampMs,
        });
      }
    } catch {
      // Not a heartbeat record (another writer on the topic): skip it.
    }
  }

  private copyPositions(): Map<string, number | null> {
    this.positionsCopy = new Map(this.positions);
    return this.positionsCopy;
  }

  private onOffset(topicName: string, key: Buffer | null, value: Buffer | null): void {
    const entry = decodeConnectOffsetRecord(key, value);
    if (!entry?.connector.endsWith('MirrorSourceConnector') || entry.cluster !== this.options.sourceAlias)
      return;
    this.positionsTopic = topicName;
    this.positions.set(positionKey(entry.topic, entry.partition), entry.offset);
    this.positionsCopy = null;
  }

  private async consume(
    topic: TopicInfo,
    tail: number | null,
    onRecord: (key: Buffer | null, value: Buffer | null, timestampMs: number) => void,
  ): Promise<void> {
    let next = this.next.get(topic.name);
    if (!next) {
      next = new Map();
      this.next.set(topic.name, next);
    }
    for (const p of topic.partitions) {
      const start = p.earliest ?? 0;
      const current = next.get(p.partition);
      if (current === undefined || current < start) {
        next.set(p.partition, tail !== null && p.latest !== null ? Math.max(start, p.latest - tail) : start);
      }
    }
    for (let round = 0; round < MAX_FETCHES; round++) {
      const behind = new Map<number, number>();
      for (const p of topic.partitions) {
        const at = next.get(p.partition) ?? 0;
        if (p.latest !== null && at < p.latest) behind.set(p.partition, at);
      }
      if (behind.size === 0) return;
      const answers = await this.wire.fetch(topic.name, behind);
      let progressed = false;
      for (const answer of answers) {
        if (answer.errorCode === 1 && answer.logStartOffset !== null) {
          next.set(answer.partition, answer.logStartOffset); // OFFSET_OUT_OF_RANGE: retention moved the start
          progressed = true;
          continue;
        }
        for (const record of answer.records) {
          onRecord(record.key, record.value, record.timestampMs);
          next.set(answer.partition, record.offset + 1);
          progressed = true;
        }
      }
      if (!progressed) return;
    }
  }
}
