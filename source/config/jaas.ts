export interface JaasEntry {
  loginModule: string;
  controlFlag: string | undefined;
  /** Option values with quotes and escapes resolved. */
  options: Map<string, string>;
  /** Option values exactly as written, so they can be redacted where the raw text is echoed. */
  rawOptions: Map<string, string>;
  /** Why the entry is not a single well-formed `Module flag key="value" ...;` entry; undefined when it is. */
  problem: string | undefined;
}

const QUOTE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/**
 * Parses a `sasl.jaas.config` value (one JAAS login module entry). It is lenient, like Kafka's tokenizer for
 * quotes and escapes, and returns what it could read even when the entry is malformed, so secrets can always
 * be found for redaction.
 */
export function parseJaasConfig(text: string): JaasEntry {
  let i = 0;
  let problem: string | undefined;
  const skipSpace = (): void => {
    while (isSpace(text[i])) i++;
  };
  const readWord = (stops: string): string => {
    const start = i;
    while (i < text.length && !isSpace(text[i]) && !stops.includes(text[i]!)) i++;
    return text.slice(start, i);
  };
  const readValue = (): { value: string; raw: string } => {
    const quote = text[i];
    if (quote !== '"' && quote !== "'") {
      const word = readWord(';');
      return { value: word, raw: word };
    }
    const start = ++i;
    let value = '';
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\' && i + 1 < text.length) {
        const escaped = text[i + 1]!;
        value += QUOTE_ESCAPES[escaped] ?? escaped;
        i += 2;
      } else {
        value += text[i++];
      }
    }
    const raw = text.slice(start, i);
    if (i >= text.length) problem = 'unterminated quoted value';
    else i++;
    return { value, raw };
  };

  skipSpace();
  const loginModule = readWord(';=');
  let controlFlag: string | undefined;
  const options = new Map<string, string>();
  const rawOptions = new Map<string, string>();
  for (;;) {
    skipSpace();
    if (i >= text.length || text[i] === ';') break;
    const name = readWord('=;');
    skipSpace();
    if (text[i] !== '=') {
      if (controlFlag === undefined && options.size === 0 && name !== '') controlFlag = name;
      else {
        problem ??= 'expected name=value options';
        if (name === '') i++;
      }
      continue;
    }
    i++;
    skipSpace();
    const { value, raw } = readValue();
    options.set(name, value);
    rawOptions.set(name, raw);
  }
  i++;
  skipSpace();
  if (loginModule === '') problem ??= 'no login module';
  else if (i < text.length) problem ??= 'more than one login module entry';
  return { loginModule, controlFlag, options, rawOptions, problem };
}
