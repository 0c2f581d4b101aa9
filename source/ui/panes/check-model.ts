import type { PartitionComparison } from '../../actions/compare.js';
import type { CheckProgress } from '../../actions/types.js';
import { type ListRow, searchText } from '../lists.js';

export interface CheckPartitionRow extends ListRow {
  partition: number;
  /** end − start captured when the check began; null when either is missing. */
  expected: number | null;
  read: number;
  /** The other cluster's records compared, once the comparison reached this partition. */
  other: number | null;
  /** The compare engine's result for this partition. */
  comparison: PartitionComparison | null;
}

export function checkPartitionRows(progress: CheckProgress | null): CheckPartitionRow[] {
  if (!progress) return [];
  const partitions = new Set<number>();
  for (const p of Object.keys(progress.endOffsets)) partitions.add(Number(p));
  for (const p of Object.keys(progress.counts)) partitions.add(Number(p));
  return [...partitions]
    .filter((p) => Number.isInteger(p))
    .sort((a, b) => a - b)
    .map((partition) => {
      const end = progress.endOffsets[partition];
      const start = progress.startOffsets[partition];
      const expected = end !== undefined && start !== undefined ? Math.max(0, end - start) : null;
      const other = progress.comparison?.counts[partition];
      const comparison = progress.comparison?.partitions.find((p) => p.partition === partition) ?? null;
      return {
        key: String(partition),
        search: searchText(partition),
        partition,
        expected,
        read: progress.counts[partition] ?? 0,
        other: other ?? null,
        comparison,
      };
    });
}

/** Rows of the last-records section: what is left under a third of the pane for the partitions. */
export function recordsSectionHeight(progress: CheckProgress | null, paneHeight: number): number {
  if (!progress || progress.last.length === 0) return 0;
  const rows = Math.min(progress.last.length, Math.floor((paneHeight - 3) / 3) - 2);
  return rows > 0 ? rows + 2 : 0;
}

/** Title, comparison line and column titles above the partition rows. */
export const CHECK_CHROME = 3;
