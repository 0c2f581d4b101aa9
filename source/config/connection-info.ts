/**
 * Connection-info URLs: `--source`/`--target` given as `http(s)://.../v1/connection`, the DC/OS Kafka
 * framework's endpoint answering `{"brokers": ["10.0.0.1:9092", ...], "zookeeper": "..."}`. The broker list
 * is read from it at start and again whenever the cluster stops answering.
 */
import { parseBootstrap } from './connection.js';
import { ConfigError } from './errors.js';

export const CONNECTION_INFO_TIMEOUT_MS = 10_000;

export function isConnectionInfoUrl(value: string): boolean {
  return /^https?:\/\//i.test(value.trim());
}

/** The URL as it may be shown: credentials in it (`https://user:pass@...`) are never printed. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    return parsed.toString();
  } catch {
    return url;
  }
}

function brokersFrom(body: unknown): unknown[] | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const brokers = (body as { brokers?: unknown }).brokers;
  return Array.isArray(brokers) ? brokers : null;
}

/** Reads the broker list (`host:port` each) from a connection-info URL, or throws a one-line ConfigError. */
export async function fetchConnectionInfo(
  url: string,
  role: 'source' | 'target',
  timeoutMs = CONNECTION_INFO_TIMEOUT_MS,
): Promise<string[]> {
  const shown = displayUrl(url);
  const fail = (problem: string): never => {
    throw new ConfigError(`${role} connection info ${shown}: ${problem}`);
  };
  // fetch refuses URLs with credentials: they go in an Authorization header (basic auth, as curl sends them).
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return fail('not a valid URL');
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username);
    const password = decodeURIComponent(target.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  let response: Response;
  try {
    response = await fetch(target, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      return fail(`no answer within ${Math.round(timeoutMs / 1000)} s`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return fail(`cannot connect (${cause?.code ?? cause?.message ?? (error as Error).message})`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    return fail(`HTTP ${response.status} ${response.statusText}`.trim());
  }
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    return fail('the answer is not JSON (expected {"brokers": ["host:port", ...]})');
  }
  const brokers = brokersFrom(body);
  if (!brokers) return fail('the answer has no "brokers" list (expected {"brokers": ["host:port", ...]})');
  if (brokers.length === 0) return fail('the "brokers" list is empty');
  if (!brokers.every((b): b is string => typeof b === 'string'))
    return fail('the "brokers" list holds something other than host:port strings');
  try {
    return parseBootstrap(brokers.join(','), role);
  } catch (error) {
    return fail((error as Error).message);
  }
}
