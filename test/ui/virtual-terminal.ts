/**
 * Just enough of a VT100/xterm screen to replay what Ink writes: cursor moves, erases, line feeds
 * that scroll at the bottom, deferred wrap. Counts scrolls and full-screen clears, the two things a
 * console must not do on every update.
 */
import { charWidth } from '../../source/util/escape.js';

export class VirtualTerminal {
  private grid: string[][];
  private row = 0;
  private col = 0;
  private wrapPending = false;
  scrolls = 0;
  clears = 0;
  alternateScreen = false;
  cursorVisible = true;

  constructor(
    readonly rows: number,
    readonly columns: number,
  ) {
    this.grid = Array.from({ length: rows }, () => this.blankRow());
  }

  private blankRow(): string[] {
    return Array.from({ length: this.columns }, () => ' ');
  }

  /** The screen as text, trailing spaces removed. */
  lines(): string[] {
    return this.grid.map((cells) => cells.join('').trimEnd());
  }

  write(data: string): void {
    let i = 0;
    while (i < data.length) {
      const ch = data[i]!;
      if (ch === '\x1b') {
        i = this.escape(data, i);
        continue;
      }
      if (ch === '\n') this.lineFeed(true);
      else if (ch === '\r') this.col = 0;
      else if (ch >= ' ') {
        const cp = data.codePointAt(i)!;
        this.print(String.fromCodePoint(cp), charWidth(cp));
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      i++;
    }
  }

  private print(ch: string, width: number): void {
    if (width === 0) return;
    if (this.wrapPending || this.col + width > this.columns) {
      this.lineFeed(true);
      this.wrapPending = false;
    }
    const cells = this.grid[this.row]!;
    cells[this.col] = ch;
    if (width === 2 && this.col + 1 < this.columns) cells[this.col + 1] = '';
    this.col += width;
    if (this.col >= this.columns) {
      this.col = this.columns - 1;
      this.wrapPending = true;
    }
  }

  /** The tty's ONLCR (kept in Node's raw mode) makes a line feed a carriage return too. */
  private lineFeed(carriageReturn: boolean): void {
    this.wrapPending = false;
    if (carriageReturn) this.col = 0;
    if (this.row === this.rows - 1) {
      this.grid.shift();
      this.grid.push(this.blankRow());
      this.scrolls++;
    } else {
      this.row++;
    }
  }

  private escape(data: string, start: number): number {
    const next = data[start + 1];
    if (next === '[') {
      const match = /^\x1b\[([\x30-\x3f]*)([\x20-\x2f]*)([\x40-\x7e])/.exec(data.slice(start));
      if (!match) return data.length;
      this.csi(match[1] ?? '', match[3] ?? '');
      return start + match[0].length;
    }
    if (next === ']') {
      const end = data.slice(start).search(/\x07|\x1b\\/);
      return end < 0 ? data.length : start + end + (data[start + end] === '\x07' ? 1 : 2);
    }
    return start + 2;
  }

  private csi(params: string, final: string): void {
    this.wrapPending = false;
    if (params.startsWith('?')) {
      const on = final === 'h';
      for (const mode of params.slice(1).split(';')) {
        if (mode === '1049') {
          this.alternateScreen = on;
          if (on) this.grid = this.grid.map(() => this.blankRow());
        }
        if (mode === '25') this.cursorVisible = on;
      }
      return;
    }
    const numbers = params.split(';').map((p) => (p === '' ? Number.NaN : Number(p)));
    const n = Number.isNaN(numbers[0]!) || numbers[0] === 0 ? 1 : numbers[0]!;
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - n);
        break;
      case 'B':
        this.row = Math.min(this.rows - 1, this.row + n);
        break;
      case 'C':
        this.col = Math.min(this.columns - 1, this.col + n);
        break;
      case 'D':
        this.col = Math.max(0, this.col - n);
        break;
      case 'E':
        this.row = Math.min(this.rows - 1, this.row + n);
        this.col = 0;
        break;
      case 'F':
        this.row = Math.max(0, this.row - n);
        this.col = 0;
        break;
      case 'G':
        this.col = Math.min(this.columns - 1, n - 1);
        break;
      case 'H':
      case 'f': {
        const col = Number.isNaN(numbers[1] ?? Number.NaN) ? 1 : (numbers[1] ?? 1);
        this.row = Math.min(this.rows - 1, n - 1);
        this.col = Math.min(this.columns - 1, Math.max(1, col) - 1);
        break;
      }
      case 'J': {
        const mode = Number.isNaN(numbers[0]!) ? 0 : numbers[0];
        if (mode === 2 || mode === 3) {
          this.grid = this.grid.map(() => this.blankRow());
          this.clears++;
        } else if (mode === 0) {
          this.eraseInLine(0);
          for (let r = this.row + 1; r < this.rows; r++) this.grid[r] = this.blankRow();
        }
        break;
      }
      case 'K':
        this.eraseInLine(Number.isNaN(numbers[0]!) ? 0 : numbers[0]!);
        break;
      default:
        break; // SGR and anything else does not move the cursor
    }
  }

  private eraseInLine(mode: number): void {
    const cells = this.grid[this.row]!;
    for (let c = 0; c < this.columns; c++) {
      if (mode === 2 || (mode === 0 && c >= this.col) || (mode === 1 && c <= this.col)) cells[c] = ' ';
    }
  }
}
