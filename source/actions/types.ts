/** The actions an operator takes from the console, as commands the views call but do not implement. */
import type { ConfigDrift } from '../model/runbook.js';
import type { ClusterRole } from '../monitor/snapshot.js';
import type { PartitionComparison } from './compare.js';

export interface PlannedTopic {
  /** Name on the source cluster. */
  source: string;
  /** Name it gets on the target through the replication policy. */
  target: string;
  partitions: number;
  replicationFactor: number;
  /** Topic configs copied from the source that matter (retention, cleanup policy, compaction...). */
  configs: Record<string, string>;
  /**
   * Why the target refuses to create it, in the broker's words (a validate-only CreateTopics): a config
   * a newer Kafka no longer takes, say. Absent when the target accepts it or was not asked.
   */
  refused?: string;
  /**
   * Why the target refuses it with the configs MM2 copies (snapshot.mirror.refusedTopics), when `T`'s
   * fewer configs are accepted: why MM2 has not created it, and `T` can.
   */
  refusedToMm2?: string;
}

export interface ActionOutcome {
  ok: boolean;
  /** One line for the event log. */
  message: string;
}

export interface CheckRecord {
  partition: number;
  offset: number;
  timestampMs: number;
  /** Already escaped for the terminal. */
  key: string;
  /** Already escaped for the terminal, possibly truncated. */
  value: string;
}

export interface CheckProgress {
  cluster: ClusterRole;
  topic: string;
  startedAtMs: number;
  /** End offsets captured at start: the check reads up to these. */
  endOffsets: Record<number, number>;
  startOffsets: Record<number, number>;
  /** Records read so far, per partition. */
  counts: Record<number, number>;
  total: number;
  expected: number;
  recordsPerSecond: number;
  /** The newest records read (a few). */
  last: CheckRecord[];
  done: boolean;
  stopped: boolean;
  error: string | null;
  /**
   * When done: the source range (captured at start) compared record by record with the target copy by
   * the compare engine; it waits until the target holds that range, so "equal" does not depend on timing.
   */
  comparison: CheckComparison | null;
}

export interface CheckComparison {
  /** The other cluster. */
  cluster: ClusterRole;
  /** The topic's name there. */
  topic: string;
  /** Records of the other cluster compared, per partition. */
  counts: Record<number, number>;
  total: number;
  /** Per partition, as far as compared. */
  partitions: PartitionComparison[];
  running: boolean;
  /** While the target does not hold the range yet, or when it did not in time: how far it got. */
  note: string | null;
  equal: boolean;
  error: string | null;
}

export interface CheckHandle {
  stop(): void;
}

export interface MirrorControl {
  /** What `stop` will do, shown in the confirmation: `PUT /connectors/X/stop on http://...` or the command line. */
  describeStop(): string;
  describeResume(): string;
  stop(): Promise<ActionOutcome>;
  resume(): Promise<ActionOutcome>;
}

export interface ConsoleActions {
  /** Source topics whose mirror is missing on the target, with the settings they will be created with. */
  planMissingTopics(): Promise<PlannedTopic[]>;
  createTopics(plan: PlannedTopic[]): Promise<ActionOutcome[]>;
  /** Consume-from-beginning check of `topic` (source-side name) on `cluster`. */
  startCheck(
    cluster: ClusterRole,
    sourceTopic: string,
    onProgress: (progress: CheckProgress) => void,
  ): CheckHandle;
  /** null when no way to stop the mirror was configured. */
  mirror: MirrorControl | null;
  /** What the runbook reads from the wire besides the snapshot: topic configs on both sides, the newest writes. */
  cutoverReads(): Promise<CutoverReads>;
  /** Closes the clients the actions keep open (the runbook's reads). */
  close(): Promise<void>;
}

export interface CutoverReads {
  configDrift: ConfigDrift[];
  /** Source topic → the newest record timestamp at its log end. */
  newestWrites: Map<string, number>;
}
