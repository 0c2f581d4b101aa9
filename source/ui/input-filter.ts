/**
 * A stdin in front of Ink that drops CSI sequences carrying modifier parameters (`ESC[1;5P` is
 * Ctrl-F1, `ESC[15;5~` Ctrl-F5, `ESC[<0;3;4M` a mouse report). Ink 6.8's useInput throws on many of
 * them (`input.startsWith` of an undefined key name: ctrl set, no name), which would end the console
 * on a stray key chord. The console binds no modified key, so nothing is lost.
 */
import { EventEmitter } from 'node:events';

const CSI = /\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]/g;
/** An unfinished sequence with parameters at the end of a read (slow links split them). */
const UNFINISHED_WITH_PARAMETERS = /\x1b\[[\x30-\x3f]*;[\x30-\x3f]*[\x20-\x2f]*$/;

export interface FilteredInput {
  output: string;
  /** Kept for the next read, to judge the sequence whole. */
  pending: string;
}

export function filterInput(text: string): FilteredInput {
  const tail = UNFINISHED_WITH_PARAMETERS.exec(text);
  const body = tail ? text.slice(0, tail.index) : text;
  return { output: body.replace(CSI, (seq) => (seq.includes(';') ? '' : seq)), pending: tail ? tail[0] : '' };
}

/** The subset of a TTY read stream Ink 6 uses. */
export interface InkStdin {
  isTTY?: boolean;
  setRawMode(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  ref(): unknown;
  unref(): unknown;
  read(): string | Buffer | null;
  on(event: 'readable', listener: () => void): unknown;
  off(event: 'readable', listener: () => void): unknown;
}

export class FilteredStdin extends EventEmitter {
  private readonly queue: string[] = [];
  private pending = '';
  private attached = false;

  constructor(private readonly inner: InkStdin) {
    super();
  }

  get isTTY(): boolean {
    return this.inner.isTTY === true;
  }

  setRawMode(mode: boolean): this {
    this.inner.setRawMode(mode);
    return this;
  }

  setEncoding(encoding: BufferEncoding): this {
    this.inner.setEncoding(encoding);
    return this;
  }

  ref(): this {
    this.inner.ref();
    return this;
  }

  unref(): this {
    this.inner.unref();
    return this;
  }

  read(): string | null {
    return this.queue.shift() ?? null;
  }

  override addListener(event: string | symbol, listener: (...args: unknown[]) => void): this {
    if (event === 'readable') this.attach();
    return super.addListener(event, listener);
  }

  override on(event: string | symbol, listener: (...args: unknown[]) => void): this {
    return this.addListener(event, listener);
  }

  override removeListener(event: string | symbol, listener: (...args: unknown[]) => void): this {
    super.removeListener(event, listener);
    if (event === 'readable' && this.listenerCount('readable') === 0) this.detach();
    return this;
  }

  override off(event: string | symbol, listener: (...args: unknown[]) => void): this {
    return this.removeListener(event, listener);
  }

  private readonly onReadable = () => {
    let chunk = this.inner.read();
    while (chunk !== null) {
      const filtered = filterInput(this.pending + String(chunk));
      this.pending = filtered.pending;
      if (filtered.output !== '') this.queue.push(filtered.output);
      chunk = this.inner.read();
    }
    if (this.queue.length > 0) this.emit('readable');
  };

  private attach(): void {
    if (this.attached) return;
    this.attached = true;
    this.inner.on('readable', this.onReadable);
  }

  private detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.inner.off('readable', this.onReadable);
  }
}
