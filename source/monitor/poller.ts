/**
 * The poller: reads every data source on an interval and builds one immutable Snapshot per refresh.
 * A source that fails keeps its last good data, is marked stale with its error, and is retried with
 * backoff; the other sources go on. No read waits unbounded.
 */
import type { Connection } from '../config/connection.js';
import { fetchConnectionInfo } from '../config/connection-info.js';
import { describeKafkaError } from '../kafka/errors.js';
import { WireCluster } from '../kafka/wire-cluster.js';
import { ConnectRestClient } from '../mm2/connect-rest.js';
import type { Mm2Metrics } from '../mm2/mm2-metrics.js';
import { mirrorSourceReplicationFactor } from '../mm2/source-connector-config.js';
import { appendSnapshot, emptyOffsetHistory, type OffsetHistory } from '../model/offset-history.js';
import { NO_TIMINGS, partitionTimings, type ScrapeTimings } from '../model/replication-timing.js';
import { assembleSnapshot, mm2Positions } from './assemble-snapshot.js';
import type { SnapshotFeed } from './feed.js';
import type { Probe } from './probe.js';
import { readCluster } from './read-cluster.js';
import { type ConnectReading, readConnect, scrapeMetrics } from './read-endpoints.js';
import { MarkerTails } from './read-marker-tails.js';
import { Mm2InternalReader, type Mm2InternalState } from './read-mm2-internal.js';
import { RecordTimestamps } from './read-record-timestamps.js';
import { readRefusedTopics } from './read-refused-topics.js';
import type {
  ClusterRole,
  ClusterView,
  DataSourceHealth,
  DataSourceName,
  MetricsHistoryPoint,
  Snapshot,
} from './snapshot.js';

export interface PollerOptions {
  connection: Connection;
  intervalMs?: number;
  /** Bound on each source's read. */
  readTimeoutMs?: number;
  /** Bound on one metrics scrape (default 15 s, like a Prometheus scrape). */
  metricsTimeoutMs?: number;
  historyLength?: number;
  /** Window of the offset history (default 10 minutes). */
  offsetHistoryWindowMs?: number;
  /**
   * Read the timestamps of records at offsets the offset history cannot date (seconds behind of groups
   * and MM2 that stopped before the history began): a bounded Fetch per refresh. Off by default.
   */
  recordTimestamps?: boolean;
  now?: () => number;
  /** Read only these sources (a command that lists topics needs no metrics). Default: all. */
  sources?: readonly DataSourceName[];
  /** The end-to-end probe: run by start()/stop() with the poller, its state copied into every snapshot. */
  probe?: Probe;
}

const MAX_BACKOFF_MS = 30_000;
export const DEFAULT_METRICS_TIMEOUT_MS = 15_000;

/** Above this many series a pass over the offset history's newest offsets is paced. */
const WANTED_EVERY_REFRESH_UP_TO = 20_000;
/** At scale, refreshes between passes (10 s at the default interval). */
const WANTED_EVERY = 5;

/**
 * Whether this refresh looks for offsets older than the history (record timestamps to read). The pass
 * visits every series: at 100,000 group partitions it cost as much as the join, each refresh, for an
 * answer that only changes when a group commits far behind. At scale it runs every few refreshes, so a
 * LAG TIME that needs a record's timestamp shows within about 10 s instead of 2.
 */
export function recordsWantedDue(history: OffsetHistory, refreshesSince: number): boolean {
  const series = ['source', 'target'].reduce((sum, role) => {
    const rows = history.clusters[role as ClusterRole].rows;
    return sum + rows.commitRows + rows.mirrorRows;
  }, 0);
  return series <= WANTED_EVERY_REFRESH_UP_TO || refreshesSince >= WANTED_EVERY;
}

/**
 * When the next metrics scrape may start: one interval after the last, or longer when a scrape costs
 * more than half the interval, so an exporter that needs seconds to render its page is not kept busy
 * rendering by us (a scrape never starts sooner than twice its own duration after the last started).
 */
export function nextScrapeDelayMs(intervalMs: number, lastScrapeMs: number | null): number {
  return Math.max(intervalMs, 2 * (lastScrapeMs ?? 0));
}

class SourceState<T> {
  data: T | null = null;
  failures = 0;
  nextAttemptMs = 0;
  health: DataSourceHealth;

  constructor(name: DataSourceName, label: string, configured: boolean) {
    this.health = {
      name,
      label,
      configured,
      ok: false,
      lastSuccessMs: null,
      lastError: null,
      lastErrorMs: null,
      requests: 0,
      durationMs: null,
    };
  }
}

/** How often the target is asked again why it refuses the same missing topics. */
const REFUSALS_INTERVAL_MS = 60_000;
const NO_REFUSALS = { key: '', atMs: 0, topics: new Map<string, string>() } as const;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function clusterLabel(c: Connection, role: ClusterRole): string {
  return `${role} cluster ${c[role].alias} ${c[role].bootstrap.join(',')}`;
}

export class Poller implements SnapshotFeed {
  readonly intervalMs: number;
  /** Replaced (never mutated) when a connection-info URL gives a cluster a new broker list. */
  private connection: Connection;
  private readonly readTimeoutMs: number;
  private readonly metricsTimeoutMs: number;
  /** The metrics scrape runs on its own cadence: the one in flight, and when the next may start. */
  private scrape: Promise<void> | null = null;
  private nextScrapeMs = 0;
  /** Continuous mode (start()): refreshes publish without waiting for a scrape in flight. */
  private continuous = false;
  private readonly historyLength: number;
  private readonly now: () => number;
  private wires: Record<ClusterRole, WireCluster>;
  private internal: Mm2InternalReader;
  private readonly connect: ConnectRestClient | null;
  private readonly states: {
    source: SourceState<ClusterView>;
    target: SourceState<ClusterView>;
    'mm2-internal': SourceState<Mm2InternalState>;
    metrics: SourceState<Mm2Metrics>;
    connect: SourceState<ConnectReading>;
  };
  private history: MetricsHistoryPoint[] = [];
  private offsetHistory: OffsetHistory;
  private readonly recordTimes: RecordTimestamps | null;
  private refreshesSinceWanted = 0;
  private readonly markerTails = new MarkerTails();
  /** Why the target refuses the missing topics, for which list of them, and when it was asked. */
  private refused: { key: string; atMs: number; topics: ReadonlyMap<string, string> } = NO_REFUSALS;
  /** Timing per partition of the newest scrape, judged against the scrape before it. */
  private timings: ScrapeTimings = NO_TIMINGS;
  private readonly probe: Probe | null;
  private latest: Snapshot | null = null;
  private seq = 0;
  private readonly listeners = new Set<(snapshot: Snapshot) => void>();
  private running: Promise<Snapshot> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private paused = false;
  private stopped = false;

  constructor(options: PollerOptions) {
    this.connection = options.connection;
    this.intervalMs = Math.max(1000, options.intervalMs ?? 2000);
    this.readTimeoutMs = options.readTimeoutMs ?? 15_000;
    this.metricsTimeoutMs = options.metricsTimeoutMs ?? DEFAULT_METRICS_TIMEOUT_MS;
    this.historyLength = options.historyLength ?? 120;
    this.now = options.now ?? Date.now;
    this.probe = options.probe ?? null;
    this.recordTimes = options.recordTimestamps ? new RecordTimestamps() : null;
    this.offsetHistory = emptyOffsetHistory(
      options.offsetHistoryWindowMs !== undefined ? { windowMs: options.offsetHistoryWindowMs } : {},
    );
    this.wires = { source: this.newWire('source'), target: this.newWire('target') };
    this.internal = this.newInternalReader();
    this.connect = this.connection.connectUrl
      ? new ConnectRestClient(this.connection.connectUrl, undefined, this.connection.connectAuthorization)
      : null;
    const c = this.connection;
    const wanted = (name: DataSourceName) => !options.sources || options.sources.includes(name);
    this.states = {
      source: new SourceState('source', clusterLabel(c, 'source'), wanted('source')),
      target: new SourceState('target', clusterLabel(c, 'target'), wanted('target')),
      // MirrorMaker 1 writes no heartbeats, checkpoints or offsets topic: nothing to read there.
      'mm2-internal': new SourceState(
        'mm2-internal',
        `MM2 internal topics on ${c.target.alias}`,
        wanted('mm2-internal') && c.mirror?.kind !== 'mm1',
      ),
      metrics: new SourceState(
        'metrics',
        `metrics ${c.metricsUrl ?? '(none)'}`,
        c.metricsUrl !== null && wanted('metrics'),
      ),
      connect: new SourceState(
        'connect',
        `Kafka Connect ${c.connectUrl ?? '(none)'}`,
        c.connectUrl !== null && wanted('connect'),
      ),
    };
  }

  private newWire(role: ClusterRole): WireCluster {
    const c = this.connection[role];
    return new WireCluster(
      { name: role, brokers: c.bootstrap, security: c.security },
      `mirrorwatch-${role}`,
      {
        connectionTimeoutMs: 5000,
        requestTimeoutMs: 10_000,
        retries: 1,
      },
    );
  }

  private newInternalReader(): Mm2InternalReader {
    return new Mm2InternalReader(this.wires.target, {
      sourceAlias: this.connection.source.alias,
      policy: this.connection.policy,
      offsetsTopic: this.connection.offsetsTopic,
    });
  }

  private scrub(text: string): string {
    let out = text;
    for (const secret of this.connection.secrets) if (secret.length > 0) out = out.split(secret).join('***');
    return out;
  }

  /** Runs `read` for one source unless it is backing off; records health and keeps the last good data. */
  private async attempt<T>(
    state: SourceState<T>,
    read: () => Promise<{ data: T; requests: number; requestsByApi?: Record<string, number> }>,
    describe: (e: unknown) => string,
    timeoutMs = this.readTimeoutMs,
  ) {
    if (!state.health.configured) return;
    const started = this.now();
    if (started < state.nextAttemptMs) return;
    try {
      const { data, requests, requestsByApi } = await withTimeout(read(), timeoutMs, state.health.label);
      state.data = data;
      state.failures = 0;
      state.nextAttemptMs = 0;
      state.health = {
        ...state.health,
        ok: true,
        lastSuccessMs: this.now(),
        requests,
        ...(requestsByApi ? { requestsByApi } : {}),
        durationMs: this.now() - started,
        timedOut: false,
      };
    } catch (error) {
      state.failures++;
      state.nextAttemptMs =
        this.now() + Math.min(MAX_BACKOFF_MS, this.intervalMs * 2 ** (state.failures - 1)) - this.intervalMs;
      state.health = {
        ...state.health,
        ok: false,
        lastError: this.scrub(describe(error)),
        lastErrorMs: this.now(),
        requests: 0,
        ...(state.health.requestsByApi ? { requestsByApi: {} } : {}),
        durationMs: this.now() - started,
        timedOut: (error as { timedOut?: unknown }).timedOut === true,
      };
    }
  }

  private async readClusterSource(role: ClusterRole): Promise<void> {
    const state = this.states[role];
    if (!state.health.configured) return;
    const hadFailed = state.failures > 0;
    if (hadFailed && this.now() >= state.nextAttemptMs) {
      await this.rereadConnectionInfo(role);
      // A fresh client after a failure: kafkajs keeps dead connections and stale metadata otherwise.
      await this.wires[role].disconnect();
      this.wires[role] = this.newWire(role);
      if (role === 'target') this.internal = this.newInternalReader();
    }
    const c = this.connection[role];
    await this.attempt(
      state,
      async () => {
        const wire = this.wires[role];
        const view = await readCluster(wire, role, c.alias, state.data);
        const counts = wire.takeRequestCounts();
        return { data: view, requests: counts.total, requestsByApi: counts.byApi };
      },
      (error) => describeKafkaError(error, `${role} cluster`, c.bootstrap),
    );
  }

  /**
   * A cluster given by a connection-info URL that stopped answering: its brokers may have moved, so the
   * list is read again. Best effort: when the URL fails too, the last list is kept and the error stays the cluster's.
   */
  private async rereadConnectionInfo(role: ClusterRole): Promise<void> {
    const url = this.connection[role].connectionUrl;
    if (!url) return;
    let bootstrap: string[];
    try {
      bootstrap = await fetchConnectionInfo(url, role, Math.min(5000, this.readTimeoutMs));
    } catch {
      return;
    }
    if (bootstrap.join(',') === this.connection[role].bootstrap.join(',')) return;
    this.connection = { ...this.connection, [role]: { ...this.connection[role], bootstrap } };
    const state = this.states[role];
    state.health = {
      ...state.health,
      label: clusterLabel(this.connection, role),
    };
  }

  /** One refresh of every source; resolves with the new snapshot. */
  refresh(): Promise<Snapshot> {
    if (this.running) return this.running;
    this.running = this.doRefresh().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async doRefresh(): Promise<Snapshot> {
    const started = this.now();
    const c = this.connection;
    const scrape = this.scrapeWhenDue();
    // Once MM2's positions come from the Connect offsets topic (read record by record as it grows), the
    // console does not ask Connect REST for all of them again on every refresh: one JSON document of
    // every source partition, 450 KB at 5,000 partitions. A one-shot command asks, as it reads once.
    const internal = this.states['mm2-internal'];
    const positionsFromTopic =
      this.continuous && internal.health.ok && (internal.data?.positionsTopic ?? null) !== null;
    await Promise.all([
      this.readClusterSource('source'),
      this.readClusterSource('target'),
      // A slow exporter never holds the clusters back in the console: its scrape runs on its own and
      // each refresh publishes the newest page it has. A one-shot refresh waits for it.
      this.continuous ? Promise.resolve() : scrape,
      this.attempt(
        this.states.connect,
        async () => {
          const reading = await readConnect(this.connect as ConnectRestClient, c.source.alias, {
            positions: !positionsFromTopic,
          });
          return { data: reading, requests: reading.requests };
        },
        (e) => (e as Error).message,
      ),
    ]);
    const targetView = this.states.target.data;
    const internalWanted = this.states['mm2-internal'].health.configured;
    if (internalWanted && targetView && this.states.target.health.ok) {
      await this.attempt(
        this.states['mm2-internal'],
        async () => {
          const wire = this.wires.target;
          const data = await this.internal.read(targetView);
          const counts = wire.takeRequestCounts();
          return { data, requests: counts.total, requestsByApi: counts.byApi };
        },
        (error) => describeKafkaError(error, 'MM2 internal topics on the target', c.target.bootstrap),
      );
    } else if (internalWanted && !this.states.target.health.ok) {
      this.states['mm2-internal'].health = {
        ...this.states['mm2-internal'].health,
        ok: false,
        lastError: 'target cluster unreachable',
      };
    }
    await this.readMarkerTails();
    await this.readRecordTimestamps();
    const built = this.assemble(started);
    const refusedTopics = await this.readRefusedTopics(built);
    return this.publish(
      refusedTopics.size > 0 ? { ...built, mirror: { ...built.mirror, refusedTopics } } : built,
    );
  }

  /**
   * Asked when the list of missing topics changes, and again every REFUSALS_INTERVAL_MS while it stays
   * (a config changed on the source); nothing while none is missing. New admin clients each time: it is
   * rare, and the poller's wires speak no CreateTopics.
   */
  private async readRefusedTopics(built: Snapshot): Promise<ReadonlyMap<string, string>> {
    const missing = built.mirror.topics.filter((t) => t.state === 'missing').map((t) => t.target);
    if (missing.length === 0) {
      this.refused = NO_REFUSALS;
      return this.refused.topics;
    }
    const key = missing.join('\u0000');
    const now = this.now();
    const asked = key === this.refused.key && now - this.refused.atMs < REFUSALS_INTERVAL_MS;
    if (asked || !this.states.source.health.ok || !this.states.target.health.ok) return this.refused.topics;
    const source = this.wires.source.kafka.admin();
    const target = this.wires.target.kafka.admin();
    let topics = this.refused.topics;
    try {
      topics = await withTimeout(
        Promise.all([source.connect(), target.connect()]).then(async () =>
          readRefusedTopics(source, target, built, await this.mm2ReplicationFactor()),
        ),
        this.readTimeoutMs,
        'refused topics',
      );
    } catch {
      // Best effort: a missing topic is shown as missing, without the target's reason.
    }
    await Promise.all([source.disconnect().catch(() => {}), target.disconnect().catch(() => {})]);
    this.refused = { key, atMs: now, topics };
    return topics;
  }

  /**
   * What MM2 creates remote topics with: the running MirrorSourceConnector's setting (Connect REST),
   * else the mm2.properties flow's (dedicated MM2); undefined when neither is known.
   */
  private async mm2ReplicationFactor(): Promise<number | undefined> {
    if (this.connect) {
      const configs = await this.connect.configs().catch(() => []);
      const running = mirrorSourceReplicationFactor(
        configs,
        this.connection.source.alias,
        this.connection.target.alias,
      );
      if (running !== undefined) return running;
    }
    return this.connection.flow?.replicationFactor;
  }

  /** Timestamps the offset history asked for after the last refresh (they date the newest offsets). */
  private async readRecordTimestamps(): Promise<void> {
    if (!this.recordTimes) return;
    this.refreshesSinceWanted++;
    if (!recordsWantedDue(this.offsetHistory, this.refreshesSinceWanted)) return;
    this.refreshesSinceWanted = 0;
    const readable = (cluster: ClusterRole) => this.states[cluster].health.ok;
    try {
      await withTimeout(
        this.recordTimes.read(this.wires, this.offsetHistory, readable),
        this.readTimeoutMs,
        'record timestamps',
      );
    } catch {
      // Best effort: without them the seconds behind stay unknown until the history reaches back.
    }
    for (const role of ['source', 'target'] as const) this.addRequests(role);
  }

  /** Transaction markers at the source's log ends, read where MM2's lag is small (bounded, cached). */
  private async readMarkerTails(): Promise<void> {
    const source = this.states.source.data;
    if (!source || !this.states.source.health.ok) return;
    const wire = this.wires.source;
    try {
      await withTimeout(
        this.markerTails.read(
          wire,
          source,
          mm2Positions(this.states.connect.data, this.states['mm2-internal'].data),
        ),
        this.readTimeoutMs,
        'marker tails',
      );
    } catch {
      // Best effort: without it a partition ending in a marker shows a lag of 1, as before.
    }
    this.addRequests('source');
  }

  /** Requests sent on a cluster's wire after its read, counted into that read's health. */
  private addRequests(role: ClusterRole): void {
    const counts = this.wires[role].takeRequestCounts();
    if (counts.total === 0) return;
    const byApi = { ...(this.states[role].health.requestsByApi ?? {}) };
    for (const [api, n] of Object.entries(counts.byApi)) byApi[api] = (byApi[api] ?? 0) + n;
    this.states[role].health = {
      ...this.states[role].health,
      requests: this.states[role].health.requests + counts.total,
      requestsByApi: byApi,
    };
  }

  /** Starts a metrics scrape unless one is in flight or the last one was too recent. */
  private scrapeWhenDue(): Promise<void> {
    if (this.scrape) return this.scrape;
    if (this.now() < this.nextScrapeMs) return Promise.resolve();
    const url = this.connection.metricsUrl as string;
    const startedMs = this.now();
    const metricsBefore = this.states.metrics.data;
    this.scrape = this.attempt(
      this.states.metrics,
      async () => ({
        data: await scrapeMetrics(
          url,
          this.metricsTimeoutMs,
          this.connection.mirror?.kind === 'mm1',
          this.connection.metricsAuthorization,
        ),
        requests: 1,
      }),
      (e) => (e as Error).message,
      this.metricsTimeoutMs + 1000,
    )
      .then(() => {
        const scraped = this.states.metrics.data;
        if (scraped && scraped !== metricsBefore)
          this.timings = partitionTimings(scraped.partitions, metricsBefore?.partitions ?? null);
      })
      .finally(() => {
        this.scrape = null;
        this.nextScrapeMs =
          startedMs + nextScrapeDelayMs(this.intervalMs, this.states.metrics.health.durationMs);
      });
    return this.scrape;
  }

  private assemble(started: number): Snapshot {
    const now = this.now();
    const metrics = this.states.metrics.data;
    const timing = metrics ? this.timings.summary() : undefined;
    // One history point per scrape (the scrape runs on its own cadence), stamped when it answered.
    const scrapedAtMs = this.states.metrics.health.lastSuccessMs;
    const newScrape = scrapedAtMs !== null && scrapedAtMs > (this.history.at(-1)?.atMs ?? -1);
    if (metrics && timing && this.states.metrics.health.ok && newScrape) {
      this.history = [
        ...this.history,
        {
          atMs: scrapedAtMs,
          recordCount: metrics.totalRecordCount,
          maxRecordAgeMs: timing.recordAgeMs,
          maxReplicationLatencyMs: timing.replicationLatencyMs,
        },
      ].slice(-this.historyLength);
    }
    const health = Object.fromEntries(
      Object.entries(this.states).map(([name, state]) => [name, state.health]),
    ) as Snapshot['health'];
    return assembleSnapshot({
      seq: ++this.seq,
      takenAtMs: now,
      startedAtMs: started,
      connection: this.connection,
      source: this.states.source.data,
      target: this.states.target.data,
      internal: this.states['mm2-internal'].data,
      connect: this.states.connect.data,
      metrics,
      health,
      timings: this.timings,
      dataEnds: this.markerTails.dataEnds(),
      metricsHistory: this.history,
      ...(this.probe ? { probe: this.probe.state() } : {}),
    });
  }

  private publish(built: Snapshot): Snapshot {
    this.offsetHistory = appendSnapshot(this.offsetHistory, built);
    const snapshot: Snapshot = {
      ...built,
      offsetHistory: this.offsetHistory,
      ...(this.recordTimes ? { recordTimestamps: this.recordTimes.known() } : {}),
    };
    this.latest = snapshot;
    for (const listener of this.listeners) listener(snapshot);
    return snapshot;
  }

  current(): Snapshot | null {
    return this.latest;
  }

  subscribe(listener: (snapshot: Snapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  refreshNow(): void {
    void this.refresh();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.probe?.setPaused(paused);
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Refreshes every interval until stop(); runs the probe alongside. */
  start(): void {
    this.continuous = true;
    this.probe?.start();
    const loop = async () => {
      if (this.stopped) return;
      if (!this.paused) await this.refresh().catch(() => {});
      if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.probe?.stop();
    await this.running?.catch(() => {});
    await this.scrape?.catch(() => {});
    await Promise.all([this.wires.source.disconnect(), this.wires.target.disconnect()]);
  }

  /** The wire of one cluster, for actions that need it (create topics, consume). */
  wire(role: ClusterRole): WireCluster {
    return this.wires[role];
  }
}
