/**
 * The console's heap growth (source/util/heap-growth.ts) is a V8 flag set while the process runs. V8
 * prints the limit it sets after a full collection, with the factor used, under --trace-gc-verbose:
 * these read that line from a real node, so they fail if a Node or V8 upgrade stops honouring the flag
 * once the process has started.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { applyConsoleHeapGrowth, CONSOLE_HEAP_GROWING_PERCENT } from '../../source/util/heap-growth.js';

const moduleUrl = new URL('../../source/util/heap-growth.js', import.meta.url).href;

/** The growth factors V8 used for the old generation's limit after full collections in a child node. */
function limitFactors(flags: string[], script: string): number[] {
  const out = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  return [...out.matchAll(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/g)].map(
    (m) => Number(m[1]),
  );
}

// Two full collections with some data alive, so that V8 computes the limit from a real heap.
const COLLECT =
  'const kept = []; for (let i = 0; i < 200000; i++) kept.push({ i }); gc(); gc(); console.log(kept.length);';

describe('console heap growth', () => {
  it('V8 uses 1 + 50 % as the growth factor once applyConsoleHeapGrowth has run', () => {
    const factors = limitFactors(
      ['--expose-gc', '--trace-gc-verbose'],
      `import { applyConsoleHeapGrowth } from '${moduleUrl}'; gc(); if (!applyConsoleHeapGrowth([])) process.exit(3); ${COLLECT}`,
    );
    assert.ok(factors.length >= 2, `V8 printed no limit after the collections: ${factors}`);
    assert.equal(factors.at(-1), 1 + CONSOLE_HEAP_GROWING_PERCENT / 100);
  });

  it('without it, V8 picks its own factor (so the test above can tell them apart)', () => {
    const factors = limitFactors(['--expose-gc', '--trace-gc-verbose'], COLLECT);
    assert.ok(factors.length >= 2);
    assert.notEqual(factors.at(-1), 1 + CONSOLE_HEAP_GROWING_PERCENT / 100);
  });

  it("leaves node's own --heap-growing-percent alone", () => {
    assert.equal(applyConsoleHeapGrowth(['--heap-growing-percent=20']), false);
    assert.equal(applyConsoleHeapGrowth(['--heap-growing-percent', '20']), false);
    assert.equal(applyConsoleHeapGrowth(['--heap_growing_percent=20']), false);
    const factors = limitFactors(
      ['--expose-gc', '--trace-gc-verbose', '--heap-growing-percent=20'],
      `import { applyConsoleHeapGrowth } from '${moduleUrl}'; gc(); if (applyConsoleHeapGrowth(process.execArgv)) process.exit(3); ${COLLECT}`,
    );
    assert.equal(factors.at(-1), 1.2);
  });
});
