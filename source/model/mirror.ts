/**
 * Joins the two clusters, MM2's positions and its metrics into the mirror view: each source topic
 * beside its mirror on the target, per partition. Pure.
 */

import {
  isCycle,
  isHeartbeatsTopic,
  isInternalTopic,
  type Mm2Flow,
  topicSelected,
} from '../config/mm2-flow.js';
import { type ReplicationPolicy, remoteTopicName } from '../config/replication-policy.js';
import type { PartitionMetrics } from '../mm2/mm2-metrics.js';
import type {
  CheckpointSummary,
  ClusterView,
  GroupInfo,
  MirrorPartition,
  MirrorState,
  MirrorTopic,
  PartitionInfo,
  TopicInfo,
} from '../monitor/snapshot.js';
import { byTopic } from './by-topic.js';
import type { GroupTranslations } from './group-translations.js';
import { replicationLagOf } from './lag.js';
import { compareNames } from './name-order.js';
import { partitionKeyIn, topicKeys } from './partition-key.js';
import { partitionTimings, type ScrapeTimings, TopicTimings } from './replication-timing.js';

export interface MirrorInputs {
  source: ClusterView;
  target: ClusterView;
  sourceAlias: string;
  policy: ReplicationPolicy;
  /** `topic\0partition` (source names) -> MM2's stored offset; null when positions are unknown. */
  positions: ReadonlyMap<string, number | null> | null;
  /**
   * `topic\0partition` -> where the data ends, for source partitions whose log ends in transaction
   * markers that MM2 never copies: the lag is counted to there, not to the log end.
   */
  dataEnds?: ReadonlyMap<string, number>;
  metricPartitions: readonly PartitionMetrics[];
  /** Per-partition timing (see replication-timing.ts); computed from `metricPartitions` when absent. */
  timings?: ScrapeTimings;
  /** With an mm2.properties flow, only the topics its filters select are expected on the target. */
  flow?: Mm2Flow | null;
  /**
   * MirrorMaker 1: its group's committed offsets (`topic\0partition`, the next offset it copies) stand
   * for the positions, and only topics its include regex matches are mirrored.
   */
  mm1?: { committed: ReadonlyMap<string, number | null>; include: RegExp | null };
  /** The target's alias: a topic that came from it (`new.x` on new->old's source) never goes back to it. */
  targetAlias?: string;
}

/** User topics of the source cluster that a migration mirrors (not Kafka's, Connect's or MM2's own). */
export function isUserTopic(topic: string, policy: ReplicationPolicy): boolean {
  return !isInternalTopic(topic, policy) && !isHeartbeatsTopic(topic, policy) && !topic.startsWith('mm2-');
}

/** The topics MM2 copies on this flow: every mirror entry but those its topic filters leave out. */
export function mirroredTopics(snapshot: { mirror: { topics: readonly MirrorTopic[] } }): MirrorTopic[] {
  return snapshot.mirror.topics.filter((t) => t.state !== 'not-mirrored');
}

function mirrorState(topic: Omit<MirrorTopic, 'state'>): MirrorState {
  if (topic.targetPartitions === null) return 'missing';
  if (topic.targetPartitions !== topic.sourcePartitions) return 'partition-mismatch';
  if (topic.lag === null) return 'unknown';
  return topic.lag === 0 ? 'in-sync' : 'mirroring';
}

/** A scrape's metrics and timings of one target topic, by partition number. */
interface TopicMetrics {
  metrics: Array<PartitionMetrics | undefined>;
  timings: TopicTimings;
}

/**
 * Metric partitions and their timings by target topic, built once per scrape rather than once per
 * refresh: the join then looks a topic up once and its partitions by index.
 */
const metricIndexes = new WeakMap<
  readonly PartitionMetrics[],
  { timings: ScrapeTimings; index: Map<string, TopicMetrics> }
>();

const NO_TIMINGS_OF_TOPIC = new TopicTimings(0);

function metricIndex(
  partitions: readonly PartitionMetrics[],
  timings: ScrapeTimings,
): Map<string, TopicMetrics> {
  const kept = metricIndexes.get(partitions);
  if (kept?.timings === timings) return kept.index;
  const index = new Map<string, TopicMetrics>();
  for (const [topic, metrics] of byTopic(partitions, (m) => m))
    index.set(topic, { metrics, timings: timings.topic(topic) ?? NO_TIMINGS_OF_TOPIC });
  metricIndexes.set(partitions, { timings, index });
  return index;
}

/** Timings from a scrape alone (no previous one), when the caller has none: once per scrape too. */
const scrapeTimings = new WeakMap<readonly PartitionMetrics[], ScrapeTimings>();

function timingsOf(partitions: readonly PartitionMetrics[]): ScrapeTimings {
  let timings = scrapeTimings.get(partitions);
  if (!timings) {
    timings = partitionTimings(partitions, null);
    scrapeTimings.set(partitions, timings);
  }
  return timings;
}

const NO_TOPIC_METRICS: TopicMetrics = { metrics: [], timings: NO_TIMINGS_OF_TOPIC };

/**
 * Runs on every refresh over every partition (100,000 at the scale mirrorwatch is built for): one key
 * per side and partition, reused (partition-key.ts), and the lag without its explanation object.
 */
export function buildMirrorTopics(inputs: MirrorInputs): MirrorTopic[] {
  const targetTopics = new Map(inputs.target.topics.map((t) => [t.name, t]));
  const metrics = metricIndex(inputs.metricPartitions, inputs.timings ?? timingsOf(inputs.metricPartitions));
  const mm1 = inputs.mm1;
  // MM1: its group's committed offset (the next record it copies) stands for the position.
  const positions = mm1 ? mm1.committed : inputs.positions;
  // MM1's consumer commits past transaction markers: no marker-tail correction for it.
  const dataEnds = mm1 ? undefined : inputs.dataEnds;
  const out: MirrorTopic[] = [];
  for (const sourceTopic of inputs.source.topics) {
    if (sourceTopic.internal || !isUserTopic(sourceTopic.name, inputs.policy)) continue;
    if (mm1?.include && !mm1.include.test(sourceTopic.name)) continue;
    // Left out by the flow's topic filters, or MM2's cycle check: listed as not mirrored, never missing.
    const selected =
      (!inputs.flow || topicSelected(inputs.flow, sourceTopic.name, inputs.policy)) &&
      !(inputs.targetAlias && isCycle({ target: inputs.targetAlias }, sourceTopic.name, inputs.policy));
    const targetName = remoteTopicName(inputs.policy, inputs.sourceAlias, sourceTopic.name);
    const targetTopic = targetTopics.get(targetName);
    const memo = joins.get(sourceTopic);
    if (
      memo &&
      memo.targetTopic === targetTopic &&
      memo.targetName === targetName &&
      memo.selected === selected &&
      memo.metrics === metrics &&
      memo.mm1 === Boolean(mm1) &&
      memo.hasPositions === (positions !== null) &&
      samePositions(memo, sourceTopic, positions, dataEnds)
    ) {
      out.push(memo.result);
      continue;
    }
    const found: Array<number | null> = [];
    const ends: Array<number | undefined> = [];
    const result = joinTopic(sourceTopic, targetTopic, targetName, selected, {
      positions,
      dataEnds,
      metrics: metrics.get(targetName) ?? NO_TOPIC_METRICS,
      mm1: Boolean(mm1),
      found,
      ends,
    });
    joins.set(sourceTopic, {
      targetTopic,
      targetName,
      selected,
      metrics,
      mm1: Boolean(mm1),
      hasPositions: positions !== null,
      found,
      ends,
      result,
    });
    out.push(result);
  }
  return out;
}

/**
 * The join of a source topic, kept while its inputs stay the same: a source TopicInfo that did not
 * change is the same object from refresh to refresh (monitor/reuse.ts), and so are the target's and
 * a scrape's index; MM2's positions and the marker-tail ends are compared by value.
 */
interface TopicJoin {
  targetTopic: TopicInfo | undefined;
  targetName: string;
  selected: boolean;
  metrics: ReadonlyMap<string, TopicMetrics>;
  mm1: boolean;
  hasPositions: boolean;
  /** Per source partition (in its order): the position looked up and the data end, as joined. */
  found: Array<number | null>;
  ends: Array<number | undefined>;
  result: MirrorTopic;
}

const joins = new WeakMap<TopicInfo, TopicJoin>();

function samePositions(
  memo: TopicJoin,
  sourceTopic: TopicInfo,
  positions: ReadonlyMap<string, number | null> | null,
  dataEnds: ReadonlyMap<string, number> | undefined,
): boolean {
  const partitions = sourceTopic.partitions;
  const keys = topicKeys(sourceTopic.name);
  for (let i = 0; i < partitions.length; i++) {
    const key = partitionKeyIn(keys, sourceTopic.name, (partitions[i] as PartitionInfo).partition);
    const found = memo.selected && positions ? (positions.get(key) ?? null) : null;
    if (found !== memo.found[i] || dataEnds?.get(key) !== memo.ends[i]) return false;
  }
  return true;
}

function joinTopic(
  sourceTopic: TopicInfo,
  targetTopic: TopicInfo | undefined,
  targetName: string,
  selected: boolean,
  inputs: {
    positions: ReadonlyMap<string, number | null> | null;
    dataEnds: ReadonlyMap<string, number> | undefined;
    /** The target topic's metrics and timings by partition. */
    metrics: TopicMetrics;
    mm1: boolean;
    /** Filled in: what was looked up, per partition, for the memo. */
    found: Array<number | null>;
    ends: Array<number | undefined>;
  },
): MirrorTopic {
  const { positions, dataEnds, mm1 } = inputs;
  const { metrics, timings } = inputs.metrics;
  const keys = topicKeys(sourceTopic.name);
  // By partition number: a topic's partitions are 0..n-1, an array lookup is cheaper than a map's.
  const targetPartitions: Array<PartitionInfo | undefined> = [];
  for (const p of targetTopic?.partitions ?? []) targetPartitions[p.partition] = p;
  const partitions: MirrorPartition[] = [];
  let lagSum = 0;
  let lagKnown = false;
  for (const p of sourceTopic.partitions) {
    const sourceKey = partitionKeyIn(keys, sourceTopic.name, p.partition);
    const found = selected && positions ? (positions.get(sourceKey) ?? null) : null;
    const dataEnd = dataEnds?.get(sourceKey);
    inputs.found.push(found);
    inputs.ends.push(dataEnd);
    const stored = mm1 && found !== null ? found - 1 : found;
    let lag: number | null = null;
    if (selected && positions && p.latest !== null) {
      lag = replicationLagOf(
        dataEnd !== undefined ? Math.min(dataEnd, p.latest) : p.latest,
        stored,
        p.earliest ?? 0,
      );
      lagSum += lag;
      lagKnown = true;
    }
    const t = targetPartitions[p.partition];
    const m = metrics[p.partition];
    // One object shape for every partition: a conditional spread here cost a slow copy per partition.
    const partition: MirrorPartition = {
      partition: p.partition,
      sourceEarliest: p.earliest,
      sourceLatest: p.latest,
      targetEarliest: t?.earliest ?? null,
      targetLatest: t?.latest ?? null,
      mm2Position: stored,
      lag,
      recordCount: m?.recordCount ?? null,
      recordAgeMs: timings.recordAge(p.partition),
      replicationLatencyMs: timings.replicationLatency(p.partition),
      idle: timings.idle(p.partition),
    };
    if (mm1) partition.mm1Committed = found;
    partitions.push(partition);
  }
  const base = {
    source: sourceTopic.name,
    target: targetName,
    sourcePartitions: sourceTopic.partitions.length,
    targetPartitions: targetTopic ? targetTopic.partitions.length : null,
    sourceRecords: sourceTopic.records,
    targetRecords: targetTopic ? targetTopic.records : null,
    lag: lagKnown ? lagSum : null,
    partitions,
  };
  return { ...base, state: selected ? mirrorState(base) : 'not-mirrored' };
}

/** Target groups with their translations, kept while the group and the checkpoint list are the same. */
const translated = new WeakMap<GroupInfo, { translations: GroupTranslations; group: GroupInfo }>();

/** Target groups with the checkpoints MM2 wrote for them (offset translations), by group name. */
export function attachTranslations(
  groups: readonly GroupInfo[],
  checkpoints: ReadonlyMap<string, GroupTranslations>,
): GroupInfo[] {
  const out: GroupInfo[] = new Array(groups.length);
  for (let i = 0; i < groups.length; i++) out[i] = withTranslations(groups[i] as GroupInfo, checkpoints);
  return out;
}

/** A target group with its translations attached, the same object while they are the same. */
function withTranslations(g: GroupInfo, checkpoints: ReadonlyMap<string, GroupTranslations>): GroupInfo {
  const translations = checkpoints.get(g.group);
  if (translations === undefined || translations.length === 0) return g;
  const kept = translated.get(g);
  if (kept?.translations === translations) return kept.group;
  // Field by field: a spread with an override took a slow generic copy (2 µs a group at 10,000 groups).
  const group: GroupInfo = {
    cluster: g.cluster,
    group: g.group,
    state: g.state,
    protocolType: g.protocolType,
    protocol: g.protocol,
    members: g.members,
    partitions: g.partitions,
    totalLag: g.totalLag,
    translations,
  };
  translated.set(g, { translations, group });
  return group;
}

/**
 * Whether a group's checkpoints cover its committed offsets, kept per source group, checkpoint entry
 * and topic naming (the same objects while unchanged): the same group and checkpoints read through
 * another replication policy are looked at again.
 */
const coverage = new WeakMap<
  GroupInfo,
  { entry: GroupTranslations; naming: TargetNaming; current: boolean }
>();

/** A source topic's name on the target; callers pass the same function while the policy is the same. */
export type TargetNaming = (sourceTopic: string) => string;

function covers(
  source: GroupInfo | undefined,
  entry: GroupTranslations,
  naming: TargetNaming,
  targetNames: Map<string, string>,
): boolean {
  if (!source) return false;
  const kept = coverage.get(source);
  if (kept?.entry === entry && kept.naming === naming) return kept.current;
  let committed = 0;
  let current = true;
  let topic = -1;
  // The checkpoints of the partition's target topic, walked along with the group's partitions (both
  // by partition number within a topic): no index per group.
  let start = 0;
  let end = 0;
  let at = 0;
  let last = -1;
  const partitions = source.partitions;
  for (let i = 0; i < partitions.length; i++) {
    const offset = partitions.committed(i);
    if (offset === null) continue;
    committed++;
    const partition = partitions.partition(i);
    const t = partitions.topicIndex(i);
    if (t !== topic) {
      topic = t;
      [start, end] = entry.topicRun(targetName(targetNames, naming, partitions.topic(i)));
      at = start;
    } else if (partition < last) at = start;
    last = partition;
    while (at < end && entry.partition(at) < partition) at++;
    if (at >= end || entry.partition(at) !== partition || entry.upstreamOffset(at) !== offset) {
      current = false;
      break;
    }
  }
  current &&= committed > 0;
  coverage.set(source, { entry, naming, current });
  return current;
}

/**
 * `topic`'s name on the target, kept in `names` (one map per call of summariseCheckpoints). A function,
 * not a closure made per call: V8 inlines a closure into covers and drops that optimized code once the
 * closure is collected, which was every refresh.
 */
function targetName(names: Map<string, string>, naming: TargetNaming, topic: string): string {
  let name = names.get(topic);
  if (name === undefined) {
    name = naming(topic);
    names.set(topic, name);
  }
  return name;
}

/** The groups' checkpoints sorted by group name, once per map the store hands out. */
const sortedIndexes = new WeakMap<
  ReadonlyMap<string, GroupTranslations>,
  Array<[string, GroupTranslations]>
>();

function sortedEntries(index: ReadonlyMap<string, GroupTranslations>): Array<[string, GroupTranslations]> {
  let sorted = sortedIndexes.get(index);
  if (!sorted) {
    sorted = [...index.entries()].sort((a, b) => compareNames(a[0], b[0]));
    sortedIndexes.set(index, sorted);
  }
  return sorted;
}

/** Newest checkpoint per group, and whether it covers the source group's current offsets. */
export function summariseCheckpoints(
  checkpoints: ReadonlyMap<string, GroupTranslations>,
  sourceGroups: readonly GroupInfo[],
  targetTopicOf: TargetNaming,
  nowMs: number,
): CheckpointSummary[] {
  const entries = sortedEntries(checkpoints);
  if (entries.length === 0) return [];
  const sources = new Map<string, GroupInfo>();
  for (const g of sourceGroups) sources.set(g.group, g);
  // A source topic's target name once per call, not once per group partition.
  const targetNames = new Map<string, string>();
  const out: CheckpointSummary[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const [group, entry] = entries[i] as [string, GroupTranslations];
    out[i] = {
      group,
      partitions: entry.length,
      newestTimestampMs: entry.newestTimestampMs,
      ageMs: nowMs - entry.newestTimestampMs,
      current: covers(sources.get(group), entry, targetTopicOf, targetNames),
    };
  }
  return out;
}
