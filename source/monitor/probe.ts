/**
 * The end-to-end probe: latency measured from outside MM2, independent of its metrics. Each round
 * writes one marker record to partition 0 of a source topic and times its arrival on the target's
 * copy of that partition, read without a consumer group from the end offset captured before writing.
 *
 * Partition 0, not the default partitioner: it exists in every topic, MM2 keeps partition numbers, so
 * the reader watches exactly one known target partition from an offset taken before the write (a
 * keyed partitioner would pick one fixed partition too, but which one depends on the hash and the
 * partition count, and the reader would have to redo that hash).
 *
 * One marker is in flight at a time: while it has not arrived, it is pending (a stopped mirror shows
 * as a pending time that grows), and the next one is written an interval after it arrived.
 */
import { randomBytes } from 'node:crypto';
import type { PartitionFetch, WireCluster } from '../kafka/wire-cluster.js';
import type { ClusterRole, ProbeState } from './snapshot.js';

export const PROBE_KEY = 'mirrorwatch-probe';
export const PROBE_PARTITION = 0;

export interface ProbeMarker {
  /** Random per probe: two consoles probing the same topic do not take each other's markers. */
  run: string;
  seq: number;
  sentAtMs: number;
}

export interface ProbeRecord {
  key: Buffer;
  value: Buffer;
  timestampMs: number;
}

/** Key `mirrorwatch-probe`, value `{"probe":"mirrorwatch","run":..,"seq":..,"sentAtMs":..}`. */
export function encodeProbeMarker(marker: ProbeMarker): ProbeRecord {
  const value = JSON.stringify({ probe: 'mirrorwatch', ...marker });
  return { key: Buffer.from(PROBE_KEY), value: Buffer.from(value), timestampMs: marker.sentAtMs };
}

export function decodeProbeMarker(key: Buffer | null, value: Buffer | null): ProbeMarker | null {
  if (!key || !value || key.toString('utf8') !== PROBE_KEY) return null;
  try {
    const parsed = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
    const { run, seq, sentAtMs } = parsed;
    if (parsed.probe !== 'mirrorwatch' || typeof run !== 'string') return null;
    if (typeof seq !== 'number' || typeof sentAtMs !== 'number') return null;
    return { run, seq, sentAtMs };
  } catch {
    return null;
  }
}

/** Writes a marker to the source cluster: the one write the probe does, an action (source/actions). */
export interface ProbeSender {
  send(topic: string, partition: number, record: ProbeRecord): Promise<void>;
  close(): Promise<void>;
}

/** The probe topic, or its copy on the target, does not exist. */
export class ProbeTopicMissingError extends Error {
  override name = 'ProbeTopicMissingError';
}

export interface ProbeOptions {
  /** Source-side topic, and its name on the target under the flow's replication policy. */
  topic: string;
  targetTopic: string;
  sender: ProbeSender;
  /** The probe's own connections (a long-polling fetch would hold up the poller's requests). */
  source: WireCluster;
  target: WireCluster;
  /** Pause between a marker's arrival (or an error) and the next marker. */
  intervalMs: number;
  now?: () => number;
  describeError?: (error: unknown, role: ClusterRole) => string;
}

/** Longest a single fetch waits on the broker for new records (bounds how long stop() takes). */
const FETCH_WAIT_MS = 500;

/** Tags an error with the cluster it came from, for the one-line description. */
async function withRole<T>(role: ClusterRole, what: () => Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (error) {
    if (error instanceof ProbeTopicMissingError) throw error;
    throw Object.assign(new Error((error as Error)?.message ?? String(error)), { cause: error, role });
  }
}

export class Probe {
  private current: Omit<ProbeState, 'atMs'>;
  private readonly run = randomBytes(4).toString('hex');
  private seq = 0;
  private topicsChecked = false;
  private stopped = false;
  private paused = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ProbeOptions) {
    this.now = options.now ?? Date.now;
    this.current = {
      topic: options.topic,
      targetTopic: options.targetTopic,
      partition: PROBE_PARTITION,
      lastLatencyMs: null,
      lastArrivedAtMs: null,
      pendingSinceMs: null,
      sent: 0,
      arrived: 0,
      error: null,
    };
  }

  state(): ProbeState {
    return { ...this.current, atMs: this.now() };
  }

  private async checkTopics(): Promise<void> {
    if (this.topicsChecked) return;
    const { topic, targetTopic } = this.options;
    const names = async (wire: WireCluster) =>
      new Set((await wire.metadata()).topicMetadata.map((t) => t.topic));
    const [onSource, onTarget] = await Promise.all([
      withRole('source', () => names(this.options.source)),
      withRole('target', () => names(this.options.target)),
    ]);
    if (!onSource.has(topic))
      throw new ProbeTopicMissingError(`probe topic ${topic} does not exist on the source cluster`);
    if (!onTarget.has(targetTopic)) {
      throw new ProbeTopicMissingError(
        `probe topic ${topic} has no copy ${targetTopic} on the target cluster (is it mirrored?)`,
      );
    }
    this.topicsChecked = true;
  }

  /**
   * One marker: written to the source, then read back from the target until it arrives or
   * `timeoutMs` passes. Resolves true when it arrived; throws on a missing topic or a Kafka error.
   */
  async round(timeoutMs: number): Promise<boolean> {
    const { topic, targetTopic, target } = this.options;
    await this.checkTopics();
    const ends = await withRole('target', () =>
      target.offsets([{ topic: targetTopic, partitions: [PROBE_PARTITION] }]),
    );
    const end = ends.get(targetTopic)?.get(PROBE_PARTITION)?.latest;
    if (end === undefined || !Number.isFinite(end))
      throw Object.assign(new Error(`no end offset for ${targetTopic}-${PROBE_PARTITION}`), {
        role: 'target',
      });
    const marker: ProbeMarker = { run: this.run, seq: ++this.seq, sentAtMs: this.now() };
    this.current = { ...this.current, pendingSinceMs: marker.sentAtMs, sent: this.current.sent + 1 };
    await withRole('source', () =>
      this.options.sender.send(topic, PROBE_PARTITION, encodeProbeMarker(marker)),
    );
    const deadline = marker.sentAtMs + timeoutMs;
    let offset: number = end;
    while (!this.stopped) {
      const left = deadline - this.now();
      if (left <= 0) return false;
      const from = offset;
      const answers: PartitionFetch[] = await withRole('target', () =>
        target.fetch(targetTopic, new Map([[PROBE_PARTITION, from]]), {
          maxWaitMs: Math.min(FETCH_WAIT_MS, left),
          minBytes: 1,
        }),
      );
      const arrivedAtMs = this.now();
      for (const answer of answers) {
        if (answer.errorCode !== 0) {
          throw Object.assign(
            new Error(`fetch ${targetTopic}-${PROBE_PARTITION} answered error code ${answer.errorCode}`),
            { role: 'target' },
          );
        }
        for (const record of answer.records) {
          const seen = decodeProbeMarker(record.key, record.value);
          if (seen && seen.run === marker.run && seen.seq === marker.seq) {
            this.current = {
              ...this.current,
              lastLatencyMs: arrivedAtMs - marker.sentAtMs,
              lastArrivedAtMs: arrivedAtMs,
              pendingSinceMs: null,
              arrived: this.current.arrived + 1,
              error: null,
            };
            return true;
          }
        }
        const last = answer.records[answer.records.length - 1];
        if (last) offset = last.offset + 1;
      }
    }
    return false;
  }

  private describe(error: unknown): string {
    if (error instanceof ProbeTopicMissingError) return error.message;
    const role = (error as { role?: ClusterRole }).role;
    const cause = (error as { cause?: unknown }).cause ?? error;
    if (role && this.options.describeError) return this.options.describeError(cause, role);
    return (error as Error)?.message ?? String(error);
  }

  /** One round for a one-shot command: the state afterwards (pending when it did not arrive in time). */
  async once(timeoutMs: number): Promise<ProbeState> {
    try {
      await this.round(timeoutMs);
    } catch (error) {
      if (error instanceof ProbeTopicMissingError) throw error;
      this.current = { ...this.current, error: this.describe(error) };
    }
    return this.state();
  }

  /** Rounds until stop(): an error is shown in the state and the round retried after an interval. */
  start(): void {
    if (this.loop) return;
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          if (!this.paused) await this.round(Number.POSITIVE_INFINITY);
        } catch (error) {
          this.topicsChecked = false;
          this.current = { ...this.current, pendingSinceMs: null, error: this.describe(error) };
        }
        if (this.stopped) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.intervalMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    })();
  }

  /** While paused (the console's `p`), no new marker is written; one in flight is still awaited. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop?.catch(() => {});
    await Promise.all([
      this.options.sender.close().catch(() => {}),
      this.options.source.disconnect(),
      this.options.target.disconnect(),
    ]);
  }
}
