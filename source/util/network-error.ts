/** What went wrong with a fetch, in a word an operator knows: ECONNREFUSED, ENOTFOUND, a timeout... */
export function fetchFailureReason(error: unknown, timeoutMs: number): string {
  const e = error as Error & { cause?: unknown };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  let current: unknown = e?.cause;
  let deepest = e?.message;
  for (let depth = 0; depth < 4 && current; depth++) {
    const c = current as {
      code?: string;
      errors?: Array<{ code?: string }>;
      cause?: unknown;
      message?: string;
    };
    if (c.code) return c.code;
    const inner = c.errors?.find((x) => x?.code)?.code;
    if (inner) return inner;
    if (c.message) deepest = c.message;
    current = c.cause;
  }
  return (deepest ?? String(error)).split('\n')[0] ?? 'failed';
}
