import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSourceHealth } from '../../source/monitor/snapshot.js';
import { UNICODE_GLYPHS } from '../../source/ui/glyphs.js';
import { healthMark } from '../../source/ui/labels.js';

const NOW = 1_000_000;

function health(overrides: Partial<DataSourceHealth>): DataSourceHealth {
  return {
    name: 'metrics',
    label: 'metrics http://mm2:9404/metrics',
    configured: true,
    ok: true,
    lastSuccessMs: NOW - 1000,
    lastError: null,
    lastErrorMs: null,
    requests: 1,
    durationMs: 40,
    ...overrides,
  };
}

describe('healthMark (the header marks of metrics, connect, internal topics)', () => {
  it('an endpoint that answers in 7.4 s is slow with its time, not unreachable', () => {
    assert.deepEqual(healthMark(health({ durationMs: 7400 }), NOW, UNICODE_GLYPHS), {
      text: '✓ slow 7.4s',
      tone: 'warn',
    });
    assert.deepEqual(healthMark(health({ durationMs: 1999 }), NOW, UNICODE_GLYPHS), {
      text: '✓',
      tone: 'ok',
    });
  });

  it('waiting before the first answer, ✗ when the first attempt failed, STALE after a success', () => {
    const never = { ok: false, lastSuccessMs: null, durationMs: null };
    assert.equal(healthMark(health(never), NOW, UNICODE_GLYPHS).text, 'waiting');
    assert.equal(healthMark(health({ ...never, lastError: 'refused' }), NOW, UNICODE_GLYPHS).text, '✗');
    assert.equal(
      healthMark(
        health({ ok: false, lastSuccessMs: NOW - 40_000, lastError: 'refused' }),
        NOW,
        UNICODE_GLYPHS,
      ).text,
      'STALE 40s',
    );
  });

  it('a source that is there but ran out of time says timeout, not a bare ✗', () => {
    const timedOut = { ok: false, lastError: 'no answer', durationMs: 15_004, timedOut: true };
    assert.deepEqual(healthMark(health({ ...timedOut, lastSuccessMs: null }), NOW, UNICODE_GLYPHS), {
      text: '✗ timeout 15s',
      tone: 'crit',
    });
    assert.equal(
      healthMark(health({ ...timedOut, lastSuccessMs: NOW - 40_000 }), NOW, UNICODE_GLYPHS).text,
      'STALE 40s timeout 15s',
    );
  });
});
