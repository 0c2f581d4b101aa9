import type { ApiVersionRange } from './wire-cluster.js';

/**
 * The Kafka version a broker runs, inferred from its ApiVersions answer (the protocol has no version
 * field). Markers checked on the lab's 3.9.2 and 4.3.1 brokers:
 * - 4.0 dropped Fetch v0–3 (KIP-896): Fetch's minimum version is 4;
 * - 3.9 added AddRaftVoter (API 80, KIP-853);
 * - 3.7 added GetTelemetrySubscriptions (API 71, KIP-714);
 * - 3.0 added DescribeTransactions (API 65).
 */
export function inferKafkaVersion(versions: Record<string, ApiVersionRange> | null): string | null {
  if (!versions) return null;
  const has = (apiKey: number) => versions[String(apiKey)] !== undefined;
  if ((versions['1']?.minVersion ?? 0) >= 4) return '4.x';
  if (has(80)) return '3.9';
  if (has(71)) return '3.7–3.8';
  if (has(65)) return '3.0–3.6';
  return '<3.0';
}
