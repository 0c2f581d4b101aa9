import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CounterHistory, counterIncrease, intervalRates, rate, sparkline } from '../../source/model/rate.js';

const s = (...pairs: [number, number][]) => pairs.map(([tsMs, value]) => ({ tsMs, value }));

describe('rate', () => {
  it('is the counter increase per second', () => {
    assert.equal(rate(s([0, 100], [1_000, 150], [2_000, 300])), 100);
  });

  it('is null with fewer than two samples or no elapsed time', () => {
    assert.equal(rate([]), null);
    assert.equal(rate(s([0, 100])), null);
    assert.equal(rate(s([5, 100], [5, 200])), null);
  });

  it('handles a counter reset (restarted task counts from 0 again)', () => {
    // 100 -> 150 (+50), reset, 0 -> 30 seen as 30 (+30), 30 -> 80 (+50)
    const samples = s([0, 100], [1_000, 150], [2_000, 30], [3_000, 80]);
    assert.equal(counterIncrease(samples), 130);
    assert.equal(rate(samples), 130 / 3);
  });

  it('is 0 for a flat counter', () => {
    assert.equal(rate(s([0, 7], [10_000, 7])), 0);
  });

  it('skips NaN samples and sorts by time', () => {
    assert.equal(rate(s([2_000, 300], [0, 100], [1_000, Number.NaN])), 100);
  });

  it('limits itself to a window before the newest sample', () => {
    const samples = s([0, 0], [10_000, 10_000], [11_000, 10_010], [12_000, 10_020]);
    assert.equal(rate(samples, 2_000), 10);
    assert.equal(rate(samples, 500), null);
  });
});

describe('intervalRates', () => {
  it('gives one rate per consecutive pair, with resets and zero intervals', () => {
    assert.deepEqual(intervalRates(s([0, 0], [1_000, 10], [1_000, 20], [3_000, 5])), [10, null, 2.5]);
    assert.deepEqual(intervalRates(s([0, 0])), []);
  });
});

describe('CounterHistory', () => {
  it('keeps a bounded history and computes the rate', () => {
    const h = new CounterHistory({ maxSamples: 3 });
    for (let i = 0; i < 5; i++) h.push(i * 1_000, i * 10);
    assert.deepEqual(
      h.samples().map((x) => x.tsMs),
      [2_000, 3_000, 4_000],
    );
    assert.equal(h.rate(), 10);
    assert.deepEqual(h.intervalRates(), [10, 10]);
  });

  it('drops samples older than maxAgeMs, ignores out-of-order and non-finite samples', () => {
    const h = new CounterHistory({ maxAgeMs: 5_000 });
    h.push(0, 0);
    h.push(3_000, 30);
    h.push(2_000, 999);
    h.push(4_000, Number.NaN);
    h.push(7_000, 70);
    assert.deepEqual(
      h.samples().map((x) => x.tsMs),
      [3_000, 7_000],
    );
  });

  it('replaces a sample with the same timestamp', () => {
    const h = new CounterHistory();
    h.push(1_000, 1);
    h.push(1_000, 2);
    assert.deepEqual(h.samples(), [{ tsMs: 1_000, value: 2 }]);
    assert.equal(h.rate(), null);
  });
});

describe('sparkline', () => {
  it('scales from 0 to the max over the eight blocks', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
  });

  it('is exactly width characters: keeps the newest values, pads on the left', () => {
    assert.equal(sparkline([7, 0, 7], 2), '▁█');
    assert.equal(sparkline([0, 7], 4), '  ▁█');
    assert.equal(sparkline([], 3), '   ');
    assert.equal(sparkline([1, 2], 0), '');
  });

  it('shows a steady non-zero rate as a full bar and all zeros as the lowest', () => {
    assert.equal(sparkline([5, 5, 5], 3), '███');
    assert.equal(sparkline([0, 0], 2), '▁▁');
  });

  it('leaves gaps for missing and NaN values', () => {
    assert.equal(sparkline([0, null, Number.NaN, undefined, 7], 5), '▁   █');
  });

  it('has an ASCII fallback', () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8, { ascii: true }), '_.-:=+*#');
    assert.match(sparkline([3, 9, 1], 3, { ascii: true }), /^[ -~]{3}$/);
  });

  it('takes an explicit scale and clamps to it', () => {
    assert.equal(sparkline([50, 100, 200], 3, { min: 0, max: 100 }), '▅██');
    assert.equal(sparkline([-7, 0, 7], 3), '▁▅█');
  });
});
