/** Which list the current pane shows, built from the snapshot: the App scrolls it, the pane view draws it. */
import type { CheckProgress } from '../../actions/types.js';
import type { Runbook } from '../../model/runbook.js';
import type { MirrorTopic, Snapshot } from '../../monitor/snapshot.js';
import type { ConsoleEvent } from '../events.js';
import type { Glyphs } from '../glyphs.js';
import type { UiState } from '../keymap.js';
import { type ListId, sortOrder } from '../lists.js';
import {
  CHECK_CHROME,
  type CheckPartitionRow,
  checkPartitionRows,
  recordsSectionHeight,
} from './check-model.js';
import { cutoverRows } from './cutover-model.js';
import { type EventRow, eventRows } from './EventsPane.js';
import { GROUP_PARTITIONS_CHROME, GROUPS_CHROME } from './GroupsPane.js';
import {
  findGroup,
  type GroupPartitionRow,
  type GroupRow,
  groupPartitionRows,
  groupRows,
} from './groups-model.js';
import { mirrorRows, type TextRow } from './mirror-model.js';
import { TEXT_CHROME } from './TextPane.js';
import { TOPICS_CHROME } from './TopicsPane.js';
import {
  findTopic,
  type TopicPartitionRow,
  type TopicRow,
  topicPartitionRows,
  topicRows,
} from './topics-model.js';

export type PaneContent =
  | { id: 'topics'; rows: readonly TopicRow[] }
  | { id: 'topic-partitions'; rows: TopicPartitionRow[]; topic: MirrorTopic | null; source: string }
  | { id: 'groups'; rows: readonly GroupRow[] }
  | { id: 'group-partitions'; rows: GroupPartitionRow[]; group: GroupRow | null; groupId: string }
  | { id: 'mirror'; rows: TextRow[] }
  | { id: 'check'; rows: CheckPartitionRow[]; recordsHeight: number }
  | { id: 'events'; rows: EventRow[] }
  | { id: 'cutover'; rows: TextRow[] };

export interface ContentInput {
  ui: UiState;
  snapshot: Snapshot | null;
  check: CheckProgress | null;
  events: readonly ConsoleEvent[];
  nowMs: number;
  width: number;
  paneHeight: number;
  glyphs: Glyphs;
  /** The migration runbook over the newest snapshot; null before the first. */
  runbook: Runbook | null;
}

export function paneContent(input: ContentInput): PaneContent {
  const { ui, snapshot } = input;
  switch (ui.pane) {
    case 'topics': {
      if (ui.drill.topic === null)
        return { id: 'topics', rows: topicRows(snapshot, sortOrder('topics', ui.lists.topics)) };
      const topic = findTopic(snapshot, ui.drill.topic);
      return { id: 'topic-partitions', rows: topicPartitionRows(topic), topic, source: ui.drill.topic };
    }
    case 'groups': {
      const groups = groupRows(snapshot, sortOrder('groups', ui.lists.groups));
      if (ui.drill.group === null) return { id: 'groups', rows: groups };
      const group = findGroup(groups, ui.drill.group);
      return {
        id: 'group-partitions',
        rows: groupPartitionRows(snapshot, group),
        group,
        groupId: ui.drill.group,
      };
    }
    case 'mirror':
      return { id: 'mirror', rows: mirrorRows(snapshot, input.nowMs, input.width, input.glyphs) };
    case 'check':
      return {
        id: 'check',
        rows: checkPartitionRows(input.check),
        recordsHeight: recordsSectionHeight(input.check, input.paneHeight),
      };
    case 'events':
      return { id: 'events', rows: eventRows(input.events, input.width) };
    case 'cutover':
      return { id: 'cutover', rows: cutoverRows(input.runbook, input.width, input.glyphs) };
  }
}

/** Lines a pane draws above its rows (titles, column headers, the check's records section). */
export function chromeHeight(content: PaneContent): number {
  switch (content.id) {
    case 'topics':
    case 'topic-partitions':
      return TOPICS_CHROME;
    case 'groups':
      return GROUPS_CHROME;
    case 'group-partitions':
      return GROUP_PARTITIONS_CHROME;
    case 'check':
      return CHECK_CHROME + content.recordsHeight;
    case 'mirror':
    case 'events':
    case 'cutover':
      return TEXT_CHROME;
  }
}

const SELECTABLE: ReadonlySet<ListId> = new Set(['topics', 'topic-partitions', 'groups', 'group-partitions']);

export function isSelectable(id: ListId): boolean {
  return SELECTABLE.has(id);
}
