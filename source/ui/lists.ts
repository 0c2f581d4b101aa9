/**
 * Scrolling and selection of the console's lists. The selection follows the item's key, so a refresh
 * that reorders or inserts rows keeps the operator on the same topic or group; when the item goes away
 * the selection stays at the same position.
 */

export type ListId =
  | 'topics'
  | 'topic-partitions'
  | 'groups'
  | 'group-partitions'
  | 'mirror'
  | 'check'
  | 'events'
  | 'cutover';

export interface ListState {
  selectedKey: string | null;
  selectedIndex: number;
  offset: number;
  filter: string;
  /** Scroll-only lists: stick to the bottom (the event log shows the newest entries). */
  follow: boolean;
  /** Index into the list's SORT_ORDERS (0: the first, the default). */
  sort: number;
}

/**
 * The orders a list can be sorted in, the first the default: worst first, because at thousands of
 * topics an SRE looks for the one that lags most, not for the tenth name. Ties go by name, so a
 * healthy migration still reads alphabetically. `o` cycles to name order.
 */
export const SORT_ORDERS: Partial<Record<ListId, readonly string[]>> = {
  topics: ['MM2 lag', 'name'],
  groups: ['lag', 'name'],
};

/** The name of the order a list is sorted in now, or null for lists with one order. */
export function sortOrder(id: ListId, state: ListState | undefined): string | null {
  const orders = SORT_ORDERS[id];
  if (!orders || orders.length < 2) return null;
  return orders[(state?.sort ?? 0) % orders.length] ?? null;
}

export interface ListRow {
  key: string;
  /** Lower-cased text the filter matches against. */
  search: string;
}

/** The list a pane shows now, as the key handler needs it. */
export interface ActiveList {
  id: ListId;
  rows: readonly ListRow[];
  /** Rows visible at once. */
  height: number;
  /** Scroll-only lists move the viewport, not a cursor. */
  selectable: boolean;
}

export type Move = 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom';

export function initialListState(id: ListId): ListState {
  return { selectedKey: null, selectedIndex: 0, offset: 0, filter: '', follow: id === 'events', sort: 0 };
}

export function applyFilter<T extends ListRow>(rows: readonly T[], filter: string): T[] {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return [...rows];
  return rows.filter((r) => r.search.includes(needle));
}

/**
 * `compute` once per object and order (a snapshot's rows, sorted): a key press or a clock tick between
 * two snapshots reuses the rows instead of rebuilding and re-sorting every item. The rows are shared.
 */
export function oncePerSnapshot<K extends object, T>(
  compute: (key: K, order: string | null) => T,
): (key: K, order?: string | null) => T {
  const cache = new WeakMap<K, Map<string | null, T>>();
  return (key, order = null) => {
    let byOrder = cache.get(key);
    if (!byOrder) {
      byOrder = new Map();
      cache.set(key, byOrder);
    }
    let value = byOrder.get(order);
    if (value === undefined) {
      value = compute(key, order);
      byOrder.set(order, value);
    }
    return value;
  };
}

export function searchText(...parts: Array<string | number | null | undefined>): string {
  return parts
    .filter((p) => p !== null && p !== undefined)
    .join(' ')
    .toLowerCase();
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

export interface Viewport {
  offset: number;
  /** Index of the selected row in the (filtered) rows, -1 for none or scroll-only lists. */
  selected: number;
}

export function resolveIndex(state: ListState, keys: readonly string[]): number {
  if (keys.length === 0) return -1;
  const byKey = state.selectedKey === null ? -1 : keys.indexOf(state.selectedKey);
  return byKey >= 0 ? byKey : clamp(state.selectedIndex, 0, keys.length - 1);
}

export function viewport(
  state: ListState,
  keys: readonly string[],
  height: number,
  selectable: boolean,
): Viewport {
  const h = Math.max(1, height);
  const maxOffset = Math.max(0, keys.length - h);
  if (!selectable) {
    return { offset: state.follow ? maxOffset : clamp(state.offset, 0, maxOffset), selected: -1 };
  }
  const selected = resolveIndex(state, keys);
  let offset = clamp(state.offset, 0, maxOffset);
  if (selected >= 0 && selected < offset) offset = selected;
  if (selected >= offset + h) offset = selected - h + 1;
  return { offset, selected };
}

/** The list state after a cursor (or viewport) move over `keys` shown `height` rows at a time. */
export function moveList(
  state: ListState,
  keys: readonly string[],
  height: number,
  selectable: boolean,
  move: Move,
): ListState {
  const h = Math.max(1, height);
  const view = viewport(state, keys, h, selectable);
  const last = keys.length - 1;
  if (!selectable) {
    const maxOffset = Math.max(0, keys.length - h);
    const target = {
      up: view.offset - 1,
      down: view.offset + 1,
      'page-up': view.offset - h,
      'page-down': view.offset + h,
      top: 0,
      bottom: maxOffset,
    }[move];
    const offset = clamp(target, 0, maxOffset);
    // a list that fits keeps its mode: the event log keeps following, other panes keep their top
    const follow = keys.length > h ? offset >= maxOffset : state.follow;
    return { ...state, offset, follow };
  }
  if (last < 0) return state;
  const from = view.selected;
  const target = {
    up: from - 1,
    down: from + 1,
    'page-up': from - h,
    'page-down': from + h,
    top: 0,
    bottom: last,
  }[move];
  const index = clamp(target, 0, last);
  let offset = view.offset;
  if (index < offset) offset = index;
  if (index >= offset + h) offset = index - h + 1;
  return { ...state, selectedKey: keys[index] ?? null, selectedIndex: index, offset };
}

/** Select the first row (after a filter is applied); a followed log stops following to show it. */
export function selectFirst(state: ListState, keys: readonly string[]): ListState {
  return { ...state, selectedKey: keys[0] ?? null, selectedIndex: 0, offset: 0, follow: false };
}

export interface Window<T> {
  visible: T[];
  /** Rows after the filter. */
  matched: number;
  offset: number;
  selectedKey: string | null;
}

/** The rows to render: filtered, then sliced to the viewport (Ink lays out everything it is given). */
export function windowRows<T extends ListRow>(
  rows: readonly T[],
  state: ListState,
  height: number,
  selectable: boolean,
): Window<T> {
  const filtered = applyFilter(rows, state.filter);
  const keys = filtered.map((r) => r.key);
  const view = viewport(state, keys, height, selectable);
  return {
    visible: filtered.slice(view.offset, view.offset + Math.max(1, height)),
    matched: filtered.length,
    offset: view.offset,
    selectedKey: view.selected >= 0 ? (keys[view.selected] ?? null) : null,
  };
}
