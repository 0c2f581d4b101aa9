import { displayWidth, escapeForTerminal, truncateDisplay } from '../util/escape.js';

export type Cell = string | number | null | undefined;

/** `-` for unknown, the number as is, wire text escaped. */
export function cell(value: Cell): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '-';
  return escapeForTerminal(value);
}

/** A plain aligned table like Kafka's CLI prints (header row, columns separated by two spaces). */
export function table(headers: string[], rows: Cell[][], maxColumnWidth = 60): string {
  const text = rows.map((row) => row.map((value) => truncateDisplay(cell(value), maxColumnWidth)));
  // A loop, not Math.max(...rows): 200,000 rows (both clusters at lab scale) overflow the call stack.
  const widths = headers.map((h, i) => {
    let width = displayWidth(h);
    for (const row of text) width = Math.max(width, displayWidth(row[i] ?? ''));
    return width;
  });
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v + ' '.repeat((widths[i] ?? 0) - displayWidth(v))))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...text.map(line)].join('\n')}\n`;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
