import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from '../config/connection.js';
import { compareNames } from '../model/name-order.js';
import { DEFAULT_HISTORY_WINDOW_MS } from '../model/offset-history.js';
import { Poller } from '../monitor/poller.js';
import type { ClusterRole, DataSourceName, Snapshot } from '../monitor/snapshot.js';
import { EXIT, UserError } from './errors.js';

/** The order a cluster read sends its requests in; other APIs follow alphabetically. */
const API_ORDER = [
  'ApiVersions',
  'Metadata',
  'ListOffsets',
  'ListGroups',
  'FindCoordinator',
  'DescribeGroups',
  'ConsumerGroupDescribe',
  'OffsetFetch',
];

function apiRank(api: string): number {
  const rank = API_ORDER.indexOf(api);
  return rank >= 0 ? rank : API_ORDER.length;
}

/** `Metadata 1, ListOffsets 2, OffsetFetch 1` */
export function formatRequestsByApi(byApi: Readonly<Record<string, number>>): string {
  return Object.entries(byApi)
    .sort(([a], [b]) => apiRank(a) - apiRank(b) || compareNames(a, b))
    .map(([api, n]) => `${api} ${n}`)
    .join(', ');
}

/**
 * The refresh's request count, then one line per Kafka source with its requests per API:
 *   debug: refresh #1: 14 requests (source 7, target 7) in 95 ms
 *   debug:   source 7: Metadata 1, ListOffsets 2, ListGroups 1, FindCoordinator 1, DescribeGroups 1, OffsetFetch 1
 */
export function debugLine(snapshot: Snapshot): string {
  const configured = Object.values(snapshot.health).filter((h) => h.configured);
  const parts = configured.map((h) => `${h.name} ${h.requests}${h.ok ? '' : ' (failed)'}`);
  const perApi = configured
    .filter((h) => h.requestsByApi && Object.keys(h.requestsByApi).length > 0)
    .map((h) => `debug:   ${h.name} ${h.requests}: ${formatRequestsByApi(h.requestsByApi ?? {})}\n`);
  return `debug: refresh #${snapshot.seq}: ${snapshot.requests} requests (${parts.join(', ')}) in ${snapshot.refreshMs} ms\n${perApi.join('')}`;
}

interface SnapshotOptions {
  sources?: DataSourceName[];
  required?: ClusterRole[];
  debug: boolean;
  metricsTimeoutMs?: number;
}

function checkRequired(snapshot: Snapshot, required: readonly ClusterRole[]): void {
  for (const role of required) {
    const health = snapshot.health[role];
    if (!health.ok) throw new UserError(health.lastError ?? `${role} cluster unreachable`, EXIT.unreachable);
  }
}

/** `--evaluate SECONDS`: a number of seconds from 1 to 3600, or a usage error naming the option. */
export function evaluateSeconds(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 3600)
    throw new UserError('--evaluate takes a number of seconds from 1 to 3600');
  return value;
}

/**
 * Refreshes at the poller's interval for `seconds` (at least two readings), then returns the newest
 * snapshot: its offset history spans the whole time, and the record timestamps the history could not
 * date were read (for seconds behind). Fails with exit 2 when a required cluster did not answer at the end.
 */
export async function snapshotOver(
  connection: Connection,
  seconds: number,
  options: SnapshotOptions,
): Promise<Snapshot> {
  const poller = new Poller({
    connection,
    recordTimestamps: true,
    offsetHistoryWindowMs: Math.max(DEFAULT_HISTORY_WINDOW_MS, seconds * 1000 + 10_000),
    ...(options.sources ? { sources: options.sources } : {}),
    ...(options.metricsTimeoutMs !== undefined ? { metricsTimeoutMs: options.metricsTimeoutMs } : {}),
  });
  try {
    const started = Date.now();
    let snapshot = await poller.refresh();
    if (options.debug) process.stderr.write(debugLine(snapshot));
    for (let readings = 1; readings < 2 || Date.now() - started < seconds * 1000; readings++) {
      const next = started + readings * poller.intervalMs;
      await sleep(Math.max(0, next - Date.now()));
      snapshot = await poller.refresh();
      if (options.debug) process.stderr.write(debugLine(snapshot));
    }
    checkRequired(snapshot, options.required ?? []);
    return snapshot;
  } finally {
    await poller.stop();
  }
}

/**
 * One refresh of the named sources (all by default), then the connections are closed. With `required`,
 * fails with exit 2 when one of those clusters did not answer.
 */
export async function snapshotOnce(connection: Connection, options: SnapshotOptions): Promise<Snapshot> {
  const poller = new Poller({
    connection,
    ...(options.sources ? { sources: options.sources } : {}),
    ...(options.metricsTimeoutMs !== undefined ? { metricsTimeoutMs: options.metricsTimeoutMs } : {}),
  });
  try {
    const snapshot = await poller.refresh();
    if (options.debug) process.stderr.write(debugLine(snapshot));
    checkRequired(snapshot, options.required ?? []);
    return snapshot;
  } finally {
    await poller.stop();
  }
}
