/**
 * What the MirrorSourceConnector running a flow creates remote topics with, from Connect's connector
 * configurations: MM2's own setting, not a guess from the clusters.
 */
import { MM2_REPLICATION_FACTOR_DEFAULT } from '../config/mm2-config.js';

/**
 * `replication.factor` of the MirrorSourceConnector of `source` -> `target` (MM2's default when unset;
 * -1 is the target broker's default); undefined when no such connector is configured or the value is
 * not a whole number. With one MirrorSourceConnector only, it is taken whatever its aliases.
 */
export function mirrorSourceReplicationFactor(
  configs: ReadonlyArray<Readonly<Record<string, string>>>,
  source: string,
  target: string,
): number | undefined {
  const mirrors = configs.filter((c) => /(^|\.)MirrorSourceConnector$/.test(c['connector.class'] ?? ''));
  const flow =
    mirrors.find((c) => c['source.cluster.alias'] === source && c['target.cluster.alias'] === target) ??
    (mirrors.length === 1 ? mirrors[0] : undefined);
  if (!flow) return undefined;
  const raw = flow['replication.factor'];
  if (raw === undefined) return MM2_REPLICATION_FACTOR_DEFAULT;
  const value = Number(raw.trim());
  return raw.trim() !== '' && Number.isInteger(value) ? value : undefined;
}
