/**
 * Turns what Ink's useInput delivers into key tokens. Characters typed quickly (or sent by tmux in one
 * `send-keys`) arrive as one string, so `"jj"` is two `j`; unknown escape sequences (focus reports,
 * bracketed-paste markers) reach us as text like `[I` or `[200~` and are dropped, not read as keys.
 */
import type { Key } from 'ink';

export type KeyToken =
  | { kind: 'char'; char: string }
  | {
      kind:
        | 'up'
        | 'down'
        | 'page-up'
        | 'page-down'
        | 'home'
        | 'end'
        | 'enter'
        | 'escape'
        | 'tab'
        | 'backtab'
        | 'backspace'
        | 'ctrl-c';
    };

/** CSI/SS3 remainders (`[I`, `[O`, `[200~`, `[1;5P`, `OQ`) that Ink leaves after stripping ESC. */
const UNKNOWN_SEQUENCE = /^(?:\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|O[\x40-\x7e])$/;

const CONTROL_CHARS: Record<string, KeyToken> = {
  '\r': { kind: 'enter' },
  '\n': { kind: 'enter' },
  '\t': { kind: 'tab' },
  '\x7f': { kind: 'backspace' },
  '\b': { kind: 'backspace' },
  '\x03': { kind: 'ctrl-c' },
  '\x1b': { kind: 'escape' },
};

export function tokenize(input: string, key: Key): KeyToken[] {
  if (key.ctrl && input === 'c') return [{ kind: 'ctrl-c' }];
  if (key.upArrow) return [{ kind: 'up' }];
  if (key.downArrow) return [{ kind: 'down' }];
  if (key.pageUp) return [{ kind: 'page-up' }];
  if (key.pageDown) return [{ kind: 'page-down' }];
  if (key.home) return [{ kind: 'home' }];
  if (key.end) return [{ kind: 'end' }];
  if (key.return) return [{ kind: 'enter' }];
  if (key.escape) return [{ kind: 'escape' }];
  if (key.tab) return [{ kind: key.shift ? 'backtab' : 'tab' }];
  if (key.backspace || key.delete) return [{ kind: 'backspace' }];
  // other ctrl/meta chords (Ctrl-L, Alt-j) and arrows we do not bind
  if (key.ctrl || key.meta || key.leftArrow || key.rightArrow) return [];
  if (input.length > 1 && UNKNOWN_SEQUENCE.test(input)) return [];
  const tokens: KeyToken[] = [];
  for (const ch of input) {
    const control = CONTROL_CHARS[ch];
    if (control) tokens.push(control);
    else if (ch >= ' ') tokens.push({ kind: 'char', char: ch });
  }
  return tokens;
}
