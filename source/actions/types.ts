/** The actions an operator takes from the console, as commands the views call but do not implement. */
import type { ClusterRole } from '../monitor/snapshot.js';

export interface PlannedTopic {
  /** Name on the source cluster. */
  source: string;
  /** Name it gets on the target through the replication policy. */
  target: string;
  partitions: number;
  replicationFactor: number;
  /** Topic configs copied from the source that matter (retention, cleanup policy, compaction...). */
  configs: Record<string, string>;
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
  /** When done: the same topic on the other cluster, counted per partition up to its end offsets. */
  comparison: {
    cluster: ClusterRole;
    topic: string;
    counts: Record<number, number>;
    total: number;
    equal: boolean;
    error: string | null;
  } | null;
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
}
