import { ByPartition } from './by-partition.js';

/**
 * Arrays by topic of a value of each partition, indexed by partition number, in one pass that looks a
 * topic up once per run of its partitions (a scrape lists them together). Partitions that are not whole
 * numbers from 0 to 2^20 - 1 are left out: a number from a metrics label sizes what is built from these
 * arrays (replication-timing.ts), and no topic comes near a million partitions (see ByPartition).
 */
export function byTopic<P extends { topic: string; partition: number }, T>(
  partitions: readonly P[],
  value: (p: P) => T,
): Map<string, Array<T | undefined>> {
  const out = new Map<string, Array<T | undefined>>();
  let topic: string | undefined;
  let list: Array<T | undefined> = [];
  for (const p of partitions) {
    if (!Number.isInteger(p.partition) || p.partition < 0 || p.partition >= ByPartition.LIMIT) continue;
    if (p.topic !== topic) {
      topic = p.topic;
      let known = out.get(topic);
      if (!known) {
        known = [];
        out.set(topic, known);
      }
      list = known;
    }
    list[p.partition] = value(p);
  }
  return out;
}
