import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendSnapshot, emptyOffsetHistory } from '../../source/model/offset-history.js';
import type { Snapshot } from '../../source/monitor/snapshot.js';
import { buildSnapshot, NOW } from './fixtures.js';
import { appOpener, lineWith } from './harness.js';

const open = appOpener();

/** The fixture now, after a reading 4 s earlier at which apache-logs' MM2 lag was 40 per partition higher. */
function draining(): Snapshot {
  const now = buildSnapshot();
  const before = buildSnapshot();
  const at = (s: Snapshot, ms: number): Snapshot => ({
    ...s,
    takenAtMs: ms,
    health: {
      ...s.health,
      source: { ...s.health.source, lastSuccessMs: ms },
      target: { ...s.health.target, lastSuccessMs: ms },
    },
  });
  for (const t of before.mirror.topics)
    if (t.source === 'apache-logs') for (const p of t.partitions) p.lag = (p.lag ?? 0) + 40;
  const current = at(now, NOW);
  const history = appendSnapshot(appendSnapshot(emptyOffsetHistory(), at(before, NOW - 4000)), current);
  return { ...current, offsetHistory: history };
}

describe('convergence in the console', () => {
  it('Topics on a wide terminal: STATUS, LAG TIME and TREND with the ETA of a draining topic', async () => {
    const app = await open({ snapshot: draining(), columns: 170 });
    assert.match(app.frame(), /MM2 LAG STATUS +LAG TIME TREND/);
    // 15 partitions, 600 records less in 4 s: 150/s, 150 left: ~1s
    assert.match(lineWith(app, 'apache-logs') ?? '', /150 OK +- ↓ 150\/s ~1s/);
    assert.match(lineWith(app, ' topic2 ') ?? '', /0 OK +0s ✓ caught up/);
  });

  it('Topics below 140 columns leave the convergence columns out rather than cut the names', async () => {
    const app = await open({ snapshot: draining(), columns: 120 });
    assert.doesNotMatch(app.frame(), /LAG TIME/);
  });

  it('Groups on a wide terminal: STATUS, LAG TIME and TREND of both sides together', async () => {
    const app = await open({ snapshot: draining(), columns: 200 });
    await app.press('2');
    assert.match(app.frame(), /FLAGS +STATUS +LAG TIME TREND/);
    // no offset moved between the two readings: STALL on the source (2 members), STOP on the target (none), worst shown
    assert.match(lineWith(app, 'apache-logs-indexer') ?? '', /STOP/);
  });

  it('Mirror pane: a sparkline of MM2 lag and the convergence line', async () => {
    const app = await open({ snapshot: draining(), columns: 120, rows: 40 });
    await app.press('3');
    assert.match(
      lineWith(app, 'MM2 lag trend') ?? '',
      /[▁▂▃▄▅▆▇█]{2} +target \? behind, draining 150\/s, caught up in ~1s/,
    );
  });
});
