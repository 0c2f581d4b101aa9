import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixIncrementalCursorUp } from '../../source/ui/incremental-fix.js';

interface Step {
  step: string;
  lines: string[];
  scrolls: number;
  clears: number;
}

function runScenario(
  rows: number,
  columns: number,
): { steps: Step[]; alternateScreen: boolean; cursorVisible: boolean } {
  const script = fileURLToPath(new URL('./terminal-scenario.js', import.meta.url));
  const env = { ...process.env };
  // Ink draws only the final frame when CI is set; the scenario needs every frame
  delete env.CI;
  const child = spawnSync(process.execPath, [script, String(rows), String(columns)], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout);
}

describe('fixIncrementalCursorUp', () => {
  it('moves one more line up at the start of an incremental update, and leaves other writes alone', () => {
    assert.equal(fixIncrementalCursorUp('\x1b[22A\x1b[E\x1b[Gline'), '\x1b[23A\x1b[E\x1b[Gline');
    assert.equal(fixIncrementalCursorUp('\x1b[A'), '\x1b[2A');
    assert.equal(fixIncrementalCursorUp('\x1b[2K\x1b[1A\x1b[2K\x1b[G'), '\x1b[2K\x1b[1A\x1b[2K\x1b[G');
    assert.equal(fixIncrementalCursorUp('SOURCE A\n'), 'SOURCE A\n');
  });
});

describe('the console on a real (virtual) terminal', () => {
  for (const [rows, columns] of [
    [24, 80],
    [30, 120],
  ] as const) {
    it(`repaints in place at ${columns}×${rows}: no scrolling, no screen clears, footer on the last line but one`, () => {
      const result = runScenario(rows, columns);
      for (const s of result.steps) {
        const where = `${s.step}:\n${s.lines.join('\n')}`;
        assert.equal(s.scrolls, 0, `scrolled at ${where}`);
        assert.equal(s.clears, 1, `cleared more than once (entering the alternate screen) at ${where}`);
        assert.match(s.lines[0] ?? '', /^SOURCE A /, where);
        assert.match(s.lines[rows - 2] ?? '', /^\? help|^Esc|^check|^refresh/, where);
        assert.equal(s.lines[rows - 1], '', where);
      }
      const byStep = Object.fromEntries(result.steps.map((s) => [s.step, s.lines]));
      assert.ok(byStep['j j']?.some((l) => /^› ✓ in sync +DmmAccess/.test(l)));
      assert.ok(byStep['groups drill']?.some((l) => /^group apache-logs-indexer/.test(l)));
      assert.ok(byStep.help?.some((l) => /this help/.test(l)));
      assert.ok(!byStep['help closed']?.some((l) => /this help/.test(l)));
      assert.match(byStep['target stale']?.[1] ?? '', /^TARGET B .*STALE 12s/);
      assert.equal(result.alternateScreen, false);
      assert.equal(result.cursorVisible, true);
    });
  }
});
