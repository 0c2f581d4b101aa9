import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LabStatus } from '../../source/lab/lab-status.js';
import { SHARED_LAB_DIR, sharedLab } from '../helpers/lab.js';
import { mirrorwatch } from '../helpers/run.js';
import { startSlowProxy } from '../helpers/slow-proxy.js';

const LAB = ['--lab', SHARED_LAB_DIR];
const DELAY_MS = 6000;

describe('a slow metrics endpoint (a real HTTP server answering the lab exporter page after 6 s)', () => {
  let lab: LabStatus;
  let proxy: Awaited<ReturnType<typeof startSlowProxy>>;
  before(async () => {
    lab = await sharedLab();
    proxy = await startSlowProxy(lab.metrics.url, DELAY_MS);
  });
  after(async () => {
    await proxy.close();
  });

  it('status waits for it (default --metrics-timeout 15 s): its data, slow, not unreachable', async () => {
    const result = await mirrorwatch(['status', '--json', ...LAB, '--metrics-url', proxy.url]);
    const doc = JSON.parse(result.stdout);
    assert.ok(doc.metrics.recordCount > 0, `record count ${doc.metrics.recordCount}`);
    assert.ok(doc.metrics.scrapeMs >= DELAY_MS, `scrape ${doc.metrics.scrapeMs} ms`);
    assert.deepEqual(
      doc.stale.map((s: { source: string }) => s.source),
      [],
      'nothing is stale',
    );
    const text = await mirrorwatch(['status', ...LAB, '--metrics-url', proxy.url]);
    assert.match(text.stdout, /MM2 record count \d+ \(metrics endpoint slow: [6-9]\.\d s\)/);
  });

  it('past --metrics-timeout it timed out, named with the time it was given, and is not unreachable', async () => {
    const result = await mirrorwatch([
      'status',
      '--json',
      ...LAB,
      '--metrics-url',
      proxy.url,
      '--metrics-timeout',
      '2',
    ]);
    assert.equal(result.code, 1, result.stderr);
    const doc = JSON.parse(result.stdout);
    const stale = doc.stale.find((s: { source: string }) => s.source === 'metrics');
    assert.match(stale?.lastError ?? '', /accepted the connection but sent no answer within 2000 ms/);
    assert.doesNotMatch(stale?.lastError ?? '', /unreachable/);
  });

  it('a bad --metrics-timeout is one line and exit 3', async () => {
    const result = await mirrorwatch(['status', ...LAB, '--metrics-timeout', '0']);
    assert.equal(result.code, 3);
    assert.equal(result.stderr.trim(), 'mirrorwatch: --metrics-timeout must be a positive number of seconds');
  });
});
