import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LagRow } from '../../source/cli/commands/lag.js';
import { kafkaTool } from './run.js';

/** group/topic/partition -> [current offset, log-end offset, lag], as kafka-consumer-groups prints them. */
export type GroupRows = Map<string, [string, string, string]>;

/** Rows of kafka-consumer-groups --describe --all-groups: group/topic/partition -> [current, log-end, lag]. */
export async function consumerGroupsTool(libDir: string, bootstrap: string): Promise<GroupRows> {
  const result = await kafkaTool(libDir, 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
    '--bootstrap-server',
    bootstrap,
    '--describe',
    '--all-groups',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const rows: GroupRows = new Map();
  for (const line of result.stdout.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 6 || cols[0] === 'GROUP' || !/^\d+$/.test(cols[2] ?? '')) continue;
    rows.set(`${cols[0]}/${cols[1]}/${cols[2]}`, [cols[3]!, cols[4]!, cols[5]!]);
  }
  return rows;
}

/** `lag --json` rows of one cluster in the shape of consumerGroupsTool. */
export function lagRowsLikeTool(rows: LagRow[], cluster: string): GroupRows {
  const show = (n: number | null) => (n === null ? '-' : String(n));
  return new Map(
    rows
      .filter((r) => r.cluster === cluster)
      .map((r) => [
        `${r.group}/${r.topic}/${r.partition}`,
        [show(r.currentOffset), show(r.logEndOffset), show(r.lag)] as [string, string, string],
      ]),
  );
}

/** Sets a group's committed offsets with kafka-consumer-groups --reset-offsets --from-file (the group has no members). */
export async function setOffsetsWithTool(
  libDir: string,
  bootstrap: string,
  group: string,
  offsets: ReadonlyArray<{ topic: string; partition: number; offset: number }>,
): Promise<void> {
  const file = join(tmpdir(), `${group}-offsets.csv`);
  writeFileSync(file, offsets.map((o) => `${o.topic},${o.partition},${o.offset}\n`).join(''));
  const result = await kafkaTool(libDir, 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
    '--bootstrap-server',
    bootstrap,
    '--group',
    group,
    '--reset-offsets',
    '--from-file',
    file,
    '--execute',
  ]);
  assert.equal(result.code, 0, `kafka-consumer-groups --reset-offsets: ${result.stderr}`);
}
