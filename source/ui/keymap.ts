/**
 * What every key does, as a pure function of the console's state: (state, key) → (state, effects).
 * The App runs the effects (calls the actions, the feed, onQuit); nothing here talks to Kafka.
 */
import type { MirrorControl, PlannedTopic } from '../actions/types.js';
import type { ClusterRole } from '../monitor/snapshot.js';
import type { EventLevel } from './events.js';
import type { KeyToken } from './keys.js';
import {
  type ActiveList,
  applyFilter,
  initialListState,
  type ListId,
  type ListState,
  type Move,
  moveList,
  resolveIndex,
  SORT_ORDERS,
  selectFirst,
} from './lists.js';

export type PaneId = 'topics' | 'groups' | 'mirror' | 'check' | 'events' | 'cutover';

export const PANES: ReadonlyArray<{ id: PaneId; title: string }> = [
  { id: 'topics', title: 'Topics' },
  { id: 'groups', title: 'Groups' },
  { id: 'mirror', title: 'Mirror' },
  { id: 'check', title: 'Check' },
  { id: 'events', title: 'Events' },
  { id: 'cutover', title: 'Cutover' },
];

export type MirrorOp = 'stop' | 'resume';

export type Overlay =
  | { kind: 'help'; offset: number }
  | { kind: 'filter'; list: ListId; buffer: string }
  | {
      kind: 'create-topics';
      status: 'planning' | 'ready' | 'failed';
      plan: PlannedTopic[];
      error: string | null;
      offset: number;
    }
  | {
      kind: 'mirror';
      op: MirrorOp;
      description: string;
      /**
       * Stopping while a runbook step before "mirror stopped" is not done: the operator types the
       * flow's name (`old->new`) to stop anyway; null when a plain y/n suffices.
       */
      typed: { flow: string; buffer: string } | null;
    }
  | { kind: 'check-cluster'; topic: string };

export interface UiState {
  pane: PaneId;
  /** Drilled-into item per pane: the source topic name, the group id. */
  drill: { topic: string | null; group: string | null };
  lists: Partial<Record<ListId, ListState>>;
  overlay: Overlay | null;
}

export type Effect =
  | { type: 'quit' }
  | { type: 'refresh' }
  | { type: 'toggle-pause' }
  | { type: 'next-flow' }
  | { type: 'plan-topics' }
  | { type: 'create-topics'; plan: PlannedTopic[] }
  | { type: 'mirror'; op: MirrorOp }
  | { type: 'start-check'; cluster: ClusterRole; topic: string }
  | { type: 'stop-check' }
  | { type: 'log'; level: EventLevel; text: string };

export interface KeyContext {
  list: ActiveList;
  readOnly: boolean;
  mirror: Pick<MirrorControl, 'describeStop' | 'describeResume'> | null;
  /** The runbook as S needs it; null before the first snapshot. */
  cutover: { flow: string; readyToStop: () => boolean } | null;
  checkRunning: boolean;
  /** Rows an overlay can show, for its scrolling. */
  overlayHeight: number;
}

export interface KeyResult {
  state: UiState;
  effects: Effect[];
}

export const NO_MIRROR_CONTROL = 'no mirror control; start with --connect-url or --mirror-stop-command';

export function initialUiState(): UiState {
  return { pane: 'topics', drill: { topic: null, group: null }, lists: {}, overlay: null };
}

export function listState(state: UiState, id: ListId): ListState {
  return state.lists[id] ?? initialListState(id);
}

function withList(state: UiState, id: ListId, list: ListState): UiState {
  return { ...state, lists: { ...state.lists, [id]: list } };
}

function filteredKeys(state: UiState, list: ActiveList): string[] {
  return applyFilter(list.rows, listState(state, list.id).filter).map((r) => r.key);
}

function selectedKey(state: UiState, list: ActiveList): string | null {
  if (!list.selectable) return null;
  const keys = filteredKeys(state, list);
  const index = resolveIndex(listState(state, list.id), keys);
  return index >= 0 ? (keys[index] ?? null) : null;
}

/** The source topic the operator points at: the drilled topic, or the selected row of the Topics list. */
export function selectedTopic(state: UiState, list: ActiveList): string | null {
  if (state.pane !== 'topics') return null;
  if (state.drill.topic !== null) return state.drill.topic;
  return list.id === 'topics' ? selectedKey(state, list) : null;
}

const MOVES: Record<string, Move> = {
  up: 'up',
  down: 'down',
  'page-up': 'page-up',
  'page-down': 'page-down',
  home: 'top',
  end: 'bottom',
  'char:k': 'up',
  'char:j': 'down',
  'char:g': 'top',
  'char:G': 'bottom',
};

function tokenName(token: KeyToken): string {
  return token.kind === 'char' ? `char:${token.char}` : token.kind;
}

function log(level: EventLevel, text: string): Effect {
  return { type: 'log', level, text };
}

const done = (state: UiState, ...effects: Effect[]): KeyResult => ({ state, effects });

function switchPane(state: UiState, pane: PaneId): UiState {
  return { ...state, pane };
}

function cyclePane(state: UiState, step: number): UiState {
  const index = PANES.findIndex((p) => p.id === state.pane);
  const next = PANES[(index + step + PANES.length) % PANES.length]!;
  return switchPane(state, next.id);
}

function scrollOverlay(offset: number, name: string, height: number, total: number): number {
  const max = Math.max(0, total - height);
  const step =
    { 'char:j': 1, down: 1, 'char:k': -1, up: -1, 'page-down': height, 'page-up': -height }[name] ?? 0;
  return Math.max(0, Math.min(max, offset + step));
}

function reduceOverlay(state: UiState, overlay: Overlay, token: KeyToken, ctx: KeyContext): KeyResult {
  const name = tokenName(token);
  const close = { ...state, overlay: null };
  const cancelKey = name === 'escape' || name === 'char:n' || name === 'char:q';
  switch (overlay.kind) {
    case 'filter': {
      if (name === 'escape') {
        const list = listState(state, overlay.list);
        return done(withList(close, overlay.list, { ...list, filter: '' }));
      }
      if (name === 'enter') {
        const applied = { ...listState(state, overlay.list), filter: overlay.buffer.trim() };
        const rows = ctx.list.id === overlay.list ? ctx.list.rows : [];
        const keys = applyFilter(rows, applied.filter).map((r) => r.key);
        const next = withList(close, overlay.list, selectFirst(applied, keys));
        return done(
          next,
          ...(keys.length === 0 && applied.filter !== ''
            ? [log('info', `filter "${applied.filter}": no match`)]
            : []),
        );
      }
      if (name === 'backspace') {
        return done({ ...state, overlay: { ...overlay, buffer: [...overlay.buffer].slice(0, -1).join('') } });
      }
      if (token.kind === 'char')
        return done({ ...state, overlay: { ...overlay, buffer: overlay.buffer + token.char } });
      return done(state);
    }
    case 'help': {
      if (cancelKey || name === 'char:?') return done(close);
      const offset = scrollOverlay(overlay.offset, name, ctx.overlayHeight, HELP.length);
      return done({ ...state, overlay: { ...overlay, offset } });
    }
    case 'create-topics': {
      if (name === 'char:y' && overlay.status === 'ready' && overlay.plan.length > 0) {
        return done(close, { type: 'create-topics', plan: overlay.plan });
      }
      if (cancelKey) return done(close, log('info', 'create topics: cancelled'));
      const offset = scrollOverlay(overlay.offset, name, ctx.overlayHeight, overlay.plan.length);
      return done({ ...state, overlay: { ...overlay, offset } });
    }
    case 'mirror':
      return reduceMirrorOverlay(state, overlay, token, ctx);
    case 'check-cluster': {
      if (name === 'char:s' || name === 'char:t') {
        const cluster: ClusterRole = name === 'char:s' ? 'source' : 'target';
        return done({ ...close, pane: 'check' }, { type: 'start-check', cluster, topic: overlay.topic });
      }
      if (cancelKey) return done(close);
      return done(state);
    }
  }
}

/** What stopping needs now: typing the flow's name unless every step before "mirror stopped" is done. */
function stopConfirmation(ctx: KeyContext): { flow: string; buffer: string } | null {
  return ctx.cutover && !ctx.cutover.readyToStop() ? { flow: ctx.cutover.flow, buffer: '' } : null;
}

function reduceMirrorOverlay(
  state: UiState,
  overlay: Extract<Overlay, { kind: 'mirror' }>,
  token: KeyToken,
  ctx: KeyContext,
): KeyResult {
  const name = tokenName(token);
  const close = { ...state, overlay: null };
  const cancelled = log('info', `${overlay.op} mirror: cancelled`);
  if (overlay.typed === null) {
    if (name === 'char:y') {
      // The runbook may have gone back since the dialog opened: ask for the name then.
      const typed = overlay.op === 'stop' ? stopConfirmation(ctx) : null;
      if (typed) return done({ ...state, overlay: { ...overlay, typed } });
      return done(close, { type: 'mirror', op: overlay.op });
    }
    if (name === 'escape' || name === 'char:n' || name === 'char:q') return done(close, cancelled);
    return done(state);
  }
  const typed = overlay.typed;
  if (name === 'escape') return done(close, cancelled);
  if (name === 'enter') {
    if (typed.buffer === typed.flow)
      return done(
        close,
        { type: 'mirror', op: overlay.op },
        log('warn', `stop mirror: confirmed by typing ${typed.flow} with the runbook not done`),
      );
    return done(
      { ...state, overlay: { ...overlay, typed: { ...typed, buffer: '' } } },
      log('warn', `stop mirror: "${typed.buffer}" is not the flow name ${typed.flow}; not stopped`),
    );
  }
  if (name === 'backspace')
    return done({
      ...state,
      overlay: { ...overlay, typed: { ...typed, buffer: [...typed.buffer].slice(0, -1).join('') } },
    });
  if (token.kind === 'char' && typed.buffer.length < 200)
    return done({
      ...state,
      overlay: { ...overlay, typed: { ...typed, buffer: typed.buffer + token.char } },
    });
  return done(state);
}

function reduceEscape(state: UiState, ctx: KeyContext): KeyResult {
  if (state.pane === 'check' && ctx.checkRunning) return done(state, { type: 'stop-check' });
  const list = listState(state, ctx.list.id);
  if (list.filter !== '') return done(withList(state, ctx.list.id, { ...list, filter: '' }));
  if (state.pane === 'topics' && state.drill.topic !== null) {
    return done({ ...state, drill: { ...state.drill, topic: null } });
  }
  if (state.pane === 'groups' && state.drill.group !== null) {
    return done({ ...state, drill: { ...state.drill, group: null } });
  }
  return done(state);
}

function reduceEnter(state: UiState, ctx: KeyContext): KeyResult {
  const key = selectedKey(state, ctx.list);
  if (key === null) return done(state);
  // a newly opened item starts at its first partition, not where the previous one was left
  if (ctx.list.id === 'topics') {
    const opened = withList(state, 'topic-partitions', initialListState('topic-partitions'));
    return done({ ...opened, drill: { ...state.drill, topic: key } });
  }
  if (ctx.list.id === 'groups') {
    const opened = withList(state, 'group-partitions', initialListState('group-partitions'));
    return done({ ...opened, drill: { ...state.drill, group: key } });
  }
  return done(state);
}

function reduceAction(state: UiState, char: string, ctx: KeyContext): KeyResult | null {
  const guarded = (what: string): KeyResult | null =>
    ctx.readOnly ? done(state, log('warn', `${what}: disabled: read-only`)) : null;
  switch (char) {
    case 'T':
      return (
        guarded('T create missing topics') ??
        done(
          {
            ...state,
            overlay: { kind: 'create-topics', status: 'planning', plan: [], error: null, offset: 0 },
          },
          { type: 'plan-topics' },
        )
      );
    case 'S':
    case 'R': {
      const op: MirrorOp = char === 'S' ? 'stop' : 'resume';
      const blocked = guarded(`${char} ${op} mirror`);
      if (blocked) return blocked;
      if (ctx.mirror === null) return done(state, log('warn', `${char}: ${NO_MIRROR_CONTROL}`));
      const description = op === 'stop' ? ctx.mirror.describeStop() : ctx.mirror.describeResume();
      const typed = op === 'stop' ? stopConfirmation(ctx) : null;
      return done({ ...state, overlay: { kind: 'mirror', op, description, typed } });
    }
    case 'C': {
      const topic = selectedTopic(state, ctx.list);
      if (topic === null)
        return done(state, log('info', 'C consumer check: select a topic in the Topics pane (1) first'));
      if (ctx.checkRunning) {
        return done(
          state,
          log('warn', 'C consumer check: a check is running (Esc in the Check pane stops it)'),
        );
      }
      return done({ ...state, overlay: { kind: 'check-cluster', topic } });
    }
    default:
      return null;
  }
}

export function reduceKey(state: UiState, token: KeyToken, ctx: KeyContext): KeyResult {
  if (token.kind === 'ctrl-c') return done(state, { type: 'quit' });
  if (state.overlay) return reduceOverlay(state, state.overlay, token, ctx);
  const name = tokenName(token);
  const move = MOVES[name];
  if (move) {
    const list = ctx.list;
    const keys = filteredKeys(state, list);
    return done(
      withList(state, list.id, moveList(listState(state, list.id), keys, list.height, list.selectable, move)),
    );
  }
  switch (name) {
    case 'tab':
      return done(cyclePane(state, 1));
    case 'backtab':
      return done(cyclePane(state, -1));
    case 'enter':
      return reduceEnter(state, ctx);
    case 'escape':
      return reduceEscape(state, ctx);
    case 'char:q':
      return done(state, { type: 'quit' });
    case 'char:?':
      return done({ ...state, overlay: { kind: 'help', offset: 0 } });
    case 'char:/':
      return done({
        ...state,
        // Starts empty, as in k9s, less and vim: what is typed replaces the filter, never extends it.
        overlay: { kind: 'filter', list: ctx.list.id, buffer: '' },
      });
    case 'char:o': {
      const orders = SORT_ORDERS[ctx.list.id];
      if (!orders || orders.length < 2) return done(state);
      const list = listState(state, ctx.list.id);
      // The selection follows its key, so the operator stays on the same item in the new order.
      return done(withList(state, ctx.list.id, { ...list, sort: (list.sort + 1) % orders.length }));
    }
    case 'char:r':
      return done(state, { type: 'refresh' });
    case 'char:p':
      return done(state, { type: 'toggle-pause' });
    case 'char:f':
      return done(state, { type: 'next-flow' });
  }
  if (token.kind === 'char') {
    const pane = PANES[Number(token.char) - 1];
    if (/^[1-6]$/.test(token.char) && pane) return done(switchPane(state, pane.id));
    const action = reduceAction(state, token.char, ctx);
    if (action) return action;
  }
  return done(state);
}

/** Applies a chunk's tokens in order, so `jj` moves twice and a `q` after them still quits. */
export function reduceKeys(state: UiState, tokens: readonly KeyToken[], ctx: KeyContext): KeyResult {
  let current = state;
  const effects: Effect[] = [];
  for (const token of tokens) {
    const result = reduceKey(current, token, ctx);
    current = result.state;
    effects.push(...result.effects);
  }
  return { state: current, effects };
}

/** Every key, for the `?` overlay. */
export const HELP: ReadonlyArray<readonly [string, string]> = [
  ['?', 'this help (Esc, q or ? closes)'],
  ['Tab / Shift-Tab', 'next / previous pane'],
  ['1 2 3 4 5 6', 'Topics, Groups, Mirror, Check, Events, Cutover (the runbook)'],
  ['j k / Down Up', 'move down / up'],
  ['PgDn PgUp g G', 'page down / up, first / last row'],
  ['Enter', 'open: partitions of a topic or group'],
  ['Esc', 'back, close, clear the filter; stops a check'],
  ['/', 'filter the list (Enter applies, Esc clears)'],
  ['o', 'sort Topics and Groups worst first (MM2 lag, lag) or by name'],
  ['r', 'refresh now'],
  ['p', 'pause / resume refreshing'],
  ['f', 'next MM2 flow (several flows: mm2.properties, --cluster, lab --flows both)'],
  ['C', 'consumer check of the selected topic (s/t)'],
  ['T', 'create the missing topics on the target'],
  ['S / R', 'stop / resume the mirror (S: type the flow name when the runbook is not done)'],
  ['y / n', 'confirm / cancel a dialog'],
  ['q / Ctrl-C', 'quit'],
];
