/** MM2's Prometheus endpoint and the Kafka Connect REST API, each read in a bounded time. */

import type { ConnectRestClient } from '../mm2/connect-rest.js';
import { extractMm1Metrics, isMm1SampleName } from '../mm2/mm1-metrics.js';
import { extractMm2Metrics, isMm2SampleName, type Mm2Metrics } from '../mm2/mm2-metrics.js';
import { MetricsFormatError, PrometheusParser } from '../mm2/prometheus.js';
import { compareNames } from '../model/name-order.js';
import { partitionKey } from '../model/partition-key.js';
import { isListening } from '../util/listening.js';
import { fetchFailureReason } from '../util/network-error.js';
import type { ConnectorView } from './snapshot.js';

export class MetricsEndpointError extends Error {
  override name = 'MetricsEndpointError';
  /**
   * The endpoint is there but did not finish within the timeout: it accepted the connection and sent
   * nothing, or sent part of its page. Not "unreachable" (an exporter collecting a page of many
   * thousands of partitions takes that long); the header says so.
   */
  readonly timedOut: boolean;

  constructor(message: string, timedOut = false) {
    super(message);
    this.timedOut = timedOut;
  }
}

const isTimeout = (error: unknown) =>
  (error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError';

/** Whether something listens at the URL's host and port. */
function acceptsConnections(url: string): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  return isListening(
    Number(port || (protocol === 'https:' ? 443 : 80)),
    hostname.replace(/^\[(.*)\]$/, '$1'),
  );
}

/** `authorization`: a Basic header from credentials given in the URL (config/url-credentials.ts). */
export async function scrapeMetrics(
  url: string,
  timeoutMs = 5000,
  mm1 = false,
  authorization?: string,
): Promise<Mm2Metrics> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      ...(authorization ? { headers: { authorization } } : {}),
    });
  } catch (error) {
    if (isTimeout(error) && (await acceptsConnections(url)))
      throw new MetricsEndpointError(
        `metrics endpoint ${url} accepted the connection but sent no answer within ${timeoutMs} ms ` +
          '(an exporter with a page of many partitions can take longer: --metrics-timeout sets the wait)',
        true,
      );
    throw new MetricsEndpointError(
      `metrics endpoint ${url} unreachable: ${fetchFailureReason(error, timeoutMs)}`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new MetricsEndpointError(
      `metrics endpoint ${url} answered HTTP ${response.status}` +
        (response.status === 401 || response.status === 403
          ? authorization
            ? ' (the user and password in the URL were refused)'
            : ' (it wants a user and password: http://user:password@host:port/metrics)'
          : ''),
    );
  }
  // Parsed as the page streams in, keeping only MM2's samples: a page of thousands of partitions is
  // megabytes of text that is never held whole, and the samples mirrorwatch does not use are skipped.
  const parser = new PrometheusParser({
    keepSample: mm1 ? (name) => isMm2SampleName(name) || isMm1SampleName(name) : isMm2SampleName,
  });
  let bytes = 0;
  try {
    try {
      if (response.body)
        for await (const chunk of response.body) {
          bytes += chunk.byteLength;
          parser.pushBytes(chunk);
        }
    } catch (error) {
      if (error instanceof MetricsFormatError) throw error;
      if (isTimeout(error))
        throw new MetricsEndpointError(
          `metrics endpoint ${url} answered, but its page was not complete within ${timeoutMs} ms ` +
            `(${(bytes / 1e6).toFixed(1)} MB read: --metrics-timeout sets the wait)`,
          true,
        );
      throw new MetricsEndpointError(
        `metrics endpoint ${url} stopped answering: ${fetchFailureReason(error, timeoutMs)}`,
      );
    }
    const parsed = parser.end();
    const metrics = extractMm2Metrics(parsed);
    return mm1 ? { ...metrics, mm1: extractMm1Metrics(parsed) } : metrics;
  } catch (error) {
    if (error instanceof MetricsEndpointError) throw error;
    throw new MetricsEndpointError(
      `metrics endpoint ${url} is not Prometheus text: ${(error as Error).message}`,
    );
  }
}

export interface ConnectReading {
  connectors: ConnectorView[];
  /** MirrorSourceConnector positions from GET /connectors/{n}/offsets: `topic\0partition` -> offset. */
  positions: Map<string, number | null>;
  requests: number;
}

function firstLine(trace: string | undefined): string | null {
  return trace ? (trace.split('\n')[0] ?? null) : null;
}

/** `positions`: whether to ask for MM2's positions too (GET offsets of each MirrorSourceConnector). */
export async function readConnect(
  client: ConnectRestClient,
  sourceAlias: string,
  options: { positions: boolean } = { positions: true },
): Promise<ConnectReading> {
  const statuses = await client.statuses();
  let requests = 1;
  const connectors: ConnectorView[] = statuses
    .map((s) => ({
      name: s.name,
      state: s.connector.state,
      type: s.type ?? null,
      tasks: s.tasks
        .map((t) => ({ id: t.id, state: t.state, trace: firstLine(t.trace) }))
        .sort((a, b) => a.id - b.id),
      from: 'connect-rest' as const,
    }))
    .sort((a, b) => compareNames(a.name, b.name));
  const positions = new Map<string, number | null>();
  const sourceConnectors = options.positions
    ? connectors.filter((c) => c.name.endsWith('MirrorSourceConnector'))
    : [];
  for (const connector of sourceConnectors) {
    requests++;
    const offsets = await client.offsets(connector.name).catch(() => []);
    for (const entry of offsets) {
      const { cluster, topic, partition } = entry.partition as {
        cluster?: string;
        topic?: string;
        partition?: number;
      };
      if (cluster !== sourceAlias || typeof topic !== 'string' || typeof partition !== 'number') continue;
      const offset = (entry.offset as { offset?: number } | null)?.offset;
      positions.set(partitionKey(topic, partition), typeof offset === 'number' ? offset : null);
    }
  }
  return { connectors, positions, requests };
}

/**
 * The connectors of one flow when their names say it (`old->new.MirrorSourceConnector`, as Strimzi and the
 * lab name them); connectors named otherwise cannot be told apart, so all of them are kept.
 */
export function connectorsOfFlow<T extends { name: string }>(
  connectors: readonly T[],
  source: string,
  target: string,
): T[] {
  const prefix = `${source}->${target}.`;
  const named = connectors.filter((c) => c.name.includes('->'));
  return named.length === 0 ? [...connectors] : named.filter((c) => c.name.startsWith(prefix));
}

/** Connector states from the exporter's status metrics (dedicated MM2 has no REST API). */
export function connectorsFromMetrics(metrics: Mm2Metrics): ConnectorView[] {
  const byName = new Map<string, ConnectorView>();
  for (const status of metrics.connectors) {
    const view = byName.get(status.connector) ?? {
      name: status.connector,
      state: 'UNKNOWN',
      type: null,
      tasks: [],
      from: 'metrics' as const,
    };
    if (status.task === undefined) view.state = status.status.toUpperCase();
    else view.tasks.push({ id: status.task, state: status.status.toUpperCase(), trace: null });
    byName.set(status.connector, view);
  }
  for (const view of byName.values()) {
    view.tasks.sort((a, b) => a.id - b.id);
    if (view.state === 'UNKNOWN' && view.tasks.length > 0 && view.tasks.every((t) => t.state === 'RUNNING'))
      view.state = 'RUNNING';
  }
  return [...byName.values()].sort((a, b) => compareNames(a.name, b.name));
}
