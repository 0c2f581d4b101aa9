/**
 * Ink 6.8's incremental renderer moves the cursor up one line too few before repainting a frame that
 * ended with a newline (every frame shorter than the terminal, which is all of ours): each update
 * lands one row lower and the screen scrolls (seen in tmux 3.3). That update is the only write Ink
 * starts with a cursor-up (erasing starts with ESC[2K, the first frame with text), so moving one more
 * line up there restores what the renderer means to do.
 */

const LEADING_CURSOR_UP = /^\x1b\[(\d*)A/;

export function fixIncrementalCursorUp(chunk: string): string {
  const match = LEADING_CURSOR_UP.exec(chunk);
  if (!match) return chunk;
  const lines = match[1] === '' ? 1 : Number(match[1]);
  return `\x1b[${lines + 1}A${chunk.slice(match[0].length)}`;
}

/** stdout for Ink with the fix applied to its writes; everything else (size, resize events) is stdout's. */
export function withIncrementalFix(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]) =>
    (stream.write as (...args: unknown[]) => boolean)(
      typeof chunk === 'string' ? fixIncrementalCursorUp(chunk) : chunk,
      ...rest,
    );
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
