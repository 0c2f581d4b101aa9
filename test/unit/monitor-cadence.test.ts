import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextScrapeDelayMs } from '../../source/monitor/poller.js';

describe('the metrics scrape cadence', () => {
  it('follows the refresh interval while a scrape is cheap', () => {
    assert.equal(nextScrapeDelayMs(2000, 40), 2000);
    assert.equal(nextScrapeDelayMs(2000, null), 2000);
  });

  it('backs off to twice what a scrape costs when it costs more than half the interval', () => {
    assert.equal(nextScrapeDelayMs(2000, 7400), 14_800);
    assert.equal(nextScrapeDelayMs(5000, 3000), 6000);
  });
});
