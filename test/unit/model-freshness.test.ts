import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageMs, formatAge, freshnessLevel, HEARTBEAT_THRESHOLDS } from '../../source/model/freshness.js';

describe('ageMs', () => {
  it('is now minus the timestamp', () => {
    assert.equal(ageMs(10_000, 4_000), 6_000);
  });

  it('is null for a missing or non-finite timestamp', () => {
    assert.equal(ageMs(10_000, null), null);
    assert.equal(ageMs(10_000, undefined), null);
    assert.equal(ageMs(10_000, Number.NaN), null);
    assert.equal(ageMs(Number.NaN, 1), null);
  });

  it('keeps a negative age (producer clock ahead of ours)', () => {
    assert.equal(ageMs(10_000, 12_500), -2_500);
  });
});

describe('freshnessLevel', () => {
  it('uses the heartbeat defaults: warn at 10 s, crit at 30 s', () => {
    assert.deepEqual(HEARTBEAT_THRESHOLDS, { warnMs: 10_000, critMs: 30_000 });
    assert.equal(freshnessLevel(0), 'ok');
    assert.equal(freshnessLevel(9_999), 'ok');
    assert.equal(freshnessLevel(10_000), 'warn');
    assert.equal(freshnessLevel(29_999), 'warn');
    assert.equal(freshnessLevel(30_000), 'crit');
    assert.equal(freshnessLevel(Number.POSITIVE_INFINITY), 'crit');
  });

  it('is unknown without an age, ok for clock skew', () => {
    assert.equal(freshnessLevel(null), 'unknown');
    assert.equal(freshnessLevel(undefined), 'unknown');
    assert.equal(freshnessLevel(Number.NaN), 'unknown');
    assert.equal(freshnessLevel(-2_000), 'ok');
  });

  it('takes custom thresholds', () => {
    const t = { warnMs: 60_000, critMs: 120_000 };
    assert.equal(freshnessLevel(30_000, t), 'ok');
    assert.equal(freshnessLevel(90_000, t), 'warn');
    assert.equal(freshnessLevel(120_000, t), 'crit');
  });
});

describe('formatAge', () => {
  it('formats seconds, minutes, hours and days compactly', () => {
    assert.equal(formatAge(0), '0s');
    assert.equal(formatAge(999), '0s');
    assert.equal(formatAge(4_000), '4s');
    assert.equal(formatAge(59_999), '59s');
    assert.equal(formatAge(60_000), '1m00s');
    assert.equal(formatAge(125_000), '2m05s');
    assert.equal(formatAge(3_599_999), '59m59s');
    assert.equal(formatAge(3_600_000), '1h00m');
    assert.equal(formatAge((3 * 3600 + 12 * 60 + 59) * 1000), '3h12m');
    assert.equal(formatAge(86_400_000 * 2 + 3 * 3_600_000), '2d03h');
  });

  it('shows - when unknown and a sign for negative ages', () => {
    assert.equal(formatAge(null), '-');
    assert.equal(formatAge(undefined), '-');
    assert.equal(formatAge(Number.NaN), '-');
    assert.equal(formatAge(Number.POSITIVE_INFINITY), '-');
    assert.equal(formatAge(-4_200), '-4s');
  });

  it('never prints -0s: less than a second either way is 0s', () => {
    assert.equal(formatAge(-1), '0s');
    assert.equal(formatAge(-999), '0s');
    assert.equal(formatAge(-1_000), '-1s');
  });
});
