/** The Cutover pane as lines: the runbook's steps, each ✓/✗ with its reason, the first not done marked. */
import type { Runbook, RunbookStep } from '../../model/runbook.js';
import { escapeForTerminal } from '../../util/escape.js';
import type { Segment } from '../components/Line.js';
import type { Glyphs } from '../glyphs.js';
import { searchText } from '../lists.js';
import { wrapText } from '../table.js';
import type { Tone } from '../theme.js';
import type { TextRow } from './mirror-model.js';

const STATUS_WORDS = { done: 'done', 'not-done': 'NOT DONE', waiting: 'waiting' } as const;
/** Marker, symbol, number and status word before the title. */
const LEAD_WIDTH = 16;

function row(key: string, segments: Segment[]): TextRow {
  return { key, search: searchText(segments.map((s) => s.text).join('')), segments };
}

export function stepSymbol(step: RunbookStep, g: Glyphs): { text: string; tone: Tone } {
  if (step.done) return { text: g.ok, tone: 'ok' };
  if (step.status === 'waiting') return { text: '-', tone: 'muted' };
  return { text: g.crit, tone: 'crit' };
}

/** The title line of a step: `› ✗ 3 NOT DONE  producers stopped on the source`. */
export function stepTitle(step: RunbookStep, current: boolean, g: Glyphs): Segment[] {
  const symbol = stepSymbol(step, g);
  return [
    { text: current ? `${g.selected} ` : '  ', tone: 'warn', bold: true },
    { text: symbol.text, tone: symbol.tone, bold: true },
    { text: ` ${step.number} ` },
    {
      text: STATUS_WORDS[step.status].padEnd(9),
      tone: step.done ? 'ok' : step.status === 'waiting' ? 'muted' : 'crit',
      bold: current,
    },
    { text: ` ${step.title}`, bold: current, tone: step.status === 'waiting' ? 'muted' : 'plain' },
  ];
}

/** The reason under a step, wrapped to the width; a waiting step says what it waits on and its own check. */
export function stepReason(step: RunbookStep, book: Runbook, width: number, g: Glyphs): string[] {
  const own =
    step.status === 'waiting'
      ? `waiting on step ${book.current?.number ?? '?'}; its own check ${step.met ? g.ok : g.crit}: `
      : '';
  return wrapText(`${own}${escapeForTerminal(step.reason)}`, Math.max(20, width - LEAD_WIDTH - 2));
}

export function cutoverRows(book: Runbook | null, width: number, g: Glyphs): TextRow[] {
  if (book === null) return [row('none', [{ text: 'waiting for the first snapshot…', tone: 'muted' }])];
  const rows: TextRow[] = [];
  rows.push(
    row(
      'verdict',
      book.current
        ? [
            { text: 'NOT READY', tone: 'crit', bold: true },
            { text: `  next: step ${book.current.number}, ${book.current.title}` },
          ]
        : [{ text: 'READY', tone: 'ok', bold: true }, { text: '  every step of the runbook is done' }],
    ),
  );
  for (const step of book.steps) {
    const current = step === book.current;
    rows.push(row(`step-${step.id}`, stepTitle(step, current, g)));
    stepReason(step, book, width, g).forEach((line, i) => {
      rows.push(
        row(`reason-${step.id}-${i}`, [
          { text: ' '.repeat(LEAD_WIDTH) },
          { text: line, tone: current ? 'warn' : 'muted' },
        ]),
      );
    });
  }
  rows.push(
    row('hint', [
      {
        text: 'S stops the mirror (step 7): plain y/n once steps 1-6 are done, else type the flow name',
        tone: 'muted',
      },
    ]),
  );
  return rows;
}
