/** The convergence evaluation of a snapshot, computed once per snapshot for every pane that shows it. */
import {
  type ConvergenceIndex,
  convergenceIndex,
  type Evaluation,
  worstStatus,
} from '../../model/convergence.js';
import type { Snapshot } from '../../monitor/snapshot.js';
import { convergenceLine, formatBehind, formatTrend } from '../convergence-text.js';
import type { Glyphs } from '../glyphs.js';
import type { Cell } from '../table.js';

const cache = new WeakMap<Snapshot, ConvergenceIndex>();

/** Evaluated on demand: the rows on screen and MM2's line, not every series. */
export function convergenceOf(snapshot: Snapshot): ConvergenceIndex {
  let c = cache.get(snapshot);
  if (!c) {
    c = convergenceIndex(snapshot);
    cache.set(snapshot, c);
  }
  return c;
}

/** The parts of an evaluation a row shows. */
export type RowEvaluation = Pick<
  Evaluation,
  'status' | 'lag' | 'lagSeconds' | 'trend' | 'ratePerSecond' | 'etaSeconds'
>;

/** Both sides of a group as one: the worse status, the longer time behind, the trend of the larger lag. */
export function combineSides(a: RowEvaluation | null, b: RowEvaluation | null): RowEvaluation | null {
  if (!a || !b) return a ?? b;
  const larger = (b.lag ?? -1) > (a.lag ?? -1) ? b : a;
  const seconds = [a.lagSeconds, b.lagSeconds].filter((s): s is number => s !== null);
  return {
    ...larger,
    status: worstStatus([a.status, b.status]),
    lagSeconds: seconds.length > 0 ? Math.max(...seconds) : null,
  };
}

export function statusCell(e: RowEvaluation | null): Cell {
  const status = e?.status ?? null;
  if (status === null) return { text: '-', tone: 'muted' };
  const tone = status === 'OK' ? 'ok' : status === 'WARN' ? 'warn' : 'crit';
  return { text: status, tone };
}

export function behindCell(e: RowEvaluation | null): Cell {
  return { text: formatBehind(e?.lagSeconds ?? null) };
}

export function trendCell(e: RowEvaluation | null, g: Glyphs): Cell {
  if (!e) return { text: '-', tone: 'muted' };
  const tone = e.trend === 'growing' ? 'warn' : e.trend === 'caught-up' ? 'ok' : 'plain';
  return { text: formatTrend(e, g.ascii), tone };
}

export { convergenceLine };
