import type { CheckProgress } from '../actions/types.js';
import type { RunbookOptions } from '../model/runbook.js';
import type { Snapshot } from '../monitor/snapshot.js';
import { escapeForTerminal } from '../util/escape.js';
import { Line } from './components/Line.js';
import { formatCount } from './format.js';
import { listState, type UiState } from './keymap.js';
import { windowRows } from './lists.js';
import { CheckPane } from './panes/CheckPane.js';
import { chromeHeight, isSelectable, type PaneContent } from './panes/content.js';
import { EventsPane } from './panes/EventsPane.js';
import type { PaneFrame } from './panes/frame.js';
import { GroupPartitionsPane, GroupsPane } from './panes/GroupsPane.js';
import { TextPane } from './panes/TextPane.js';
import { TopicPartitionsPane, TopicsPane } from './panes/TopicsPane.js';

export interface PaneAreaProps {
  content: PaneContent;
  ui: UiState;
  snapshot: Snapshot | null;
  check: CheckProgress | null;
  paneHeight: number;
  nowMs: number;
  frame: Omit<PaneFrame, 'filterNote'>;
  cutoverOptions: RunbookOptions;
}

/** Rows the pane's list shows at once. */
export function bodyHeight(content: PaneContent, paneHeight: number): number {
  return Math.max(1, paneHeight - chromeHeight(content));
}

/** The current pane, its list filtered and cut to the rows that fit. */
export function PaneArea(props: PaneAreaProps) {
  const { content, ui, snapshot, check, paneHeight, nowMs } = props;
  const state = listState(ui, content.id);
  const height = bodyHeight(content, paneHeight);
  const selectable = isSelectable(content.id);
  const frameFor = (matched: number): PaneFrame => ({
    ...props.frame,
    filterNote:
      state.filter === ''
        ? null
        : `filter "${escapeForTerminal(state.filter)}" ${formatCount(matched)}/${formatCount(content.rows.length)}`,
  });
  const needsSnapshot = content.id !== 'check' && content.id !== 'events';
  if (needsSnapshot && !snapshot) {
    return (
      <Line
        segments={[{ text: 'waiting for the first snapshot…', tone: 'muted' }]}
        color={props.frame.color}
      />
    );
  }
  switch (content.id) {
    case 'topics': {
      const w = windowRows(content.rows, state, height, selectable);
      return (
        <TopicsPane
          frame={frameFor(w.matched)}
          snapshot={snapshot!}
          rows={w.visible}
          selectedKey={w.selectedKey}
        />
      );
    }
    case 'topic-partitions': {
      const w = windowRows(content.rows, state, height, selectable);
      const names = {
        source: escapeForTerminal(content.source),
        target: content.topic ? escapeForTerminal(content.topic.target) : '',
      };
      const refused =
        content.topic?.state === 'missing'
          ? snapshot?.mirror.refusedTopics?.get(content.topic.target)
          : undefined;
      return (
        <TopicPartitionsPane
          frame={frameFor(w.matched)}
          {...(snapshot?.mirror.kind ? { mirrorKind: snapshot.mirror.kind } : {})}
          {...(refused !== undefined ? { refused: escapeForTerminal(refused) } : {})}
          topic={content.topic}
          names={names}
          rows={w.visible}
          selectedKey={w.selectedKey}
        />
      );
    }
    case 'groups': {
      const w = windowRows(content.rows, state, height, selectable);
      return (
        <GroupsPane
          frame={frameFor(w.matched)}
          rows={w.visible}
          total={content.rows.length}
          selectedKey={w.selectedKey}
          takenAtMs={snapshot!.takenAtMs}
          nowMs={nowMs}
        />
      );
    }
    case 'group-partitions': {
      const w = windowRows(content.rows, state, height, selectable);
      return (
        <GroupPartitionsPane
          frame={frameFor(w.matched)}
          group={content.group}
          groupId={content.groupId}
          rows={w.visible}
          selectedKey={w.selectedKey}
          takenAtMs={snapshot!.takenAtMs}
          nowMs={nowMs}
        />
      );
    }
    case 'mirror': {
      const w = windowRows(content.rows, state, height, selectable);
      const s = snapshot!;
      const g = props.frame.glyphs;
      const title = [
        { text: 'MIRROR', bold: true },
        {
          text: `  ${escapeForTerminal(s.flow.source)} ${g.arrow} ${escapeForTerminal(s.flow.target)}, ${s.flow.policy.kind} replication policy`,
          tone: 'muted' as const,
        },
      ];
      return <TextPane frame={frameFor(w.matched)} title={title} rows={w.visible} empty="nothing matches" />;
    }
    case 'cutover': {
      const w = windowRows(content.rows, state, height, selectable);
      const s = snapshot!;
      const o = props.cutoverOptions;
      const groups = o.groups && o.groups.length > 0 ? `, groups ${o.groups.join(', ')}` : '';
      const title = [
        { text: 'CUTOVER', bold: true },
        {
          text: `  runbook ${escapeForTerminal(s.flow.source)} ${props.frame.glyphs.arrow} ${escapeForTerminal(s.flow.target)}: MM2 at most ${o.maxBehindSeconds} s behind, producers quiet ${o.quietSeconds} s${escapeForTerminal(groups)}`,
          tone: 'muted' as const,
        },
      ];
      return <TextPane frame={frameFor(w.matched)} title={title} rows={w.visible} empty="nothing matches" />;
    }
    case 'check': {
      const w = windowRows(content.rows, state, height, selectable);
      return (
        <CheckPane
          frame={frameFor(w.matched)}
          progress={check}
          rows={w.visible}
          recordsHeight={content.recordsHeight}
          nowMs={nowMs}
        />
      );
    }
    case 'events': {
      const events = new Set(content.rows.map((r) => r.event.seq)).size;
      const w = windowRows(content.rows, state, height, selectable);
      return (
        <EventsPane frame={frameFor(w.matched)} rows={w.visible} total={events} following={state.follow} />
      );
    }
  }
}
