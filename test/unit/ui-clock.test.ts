import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clockMustTick, SNAPSHOT_OVERDUE_MS } from '../../source/ui/clock.js';
import { health, snapshot } from '../helpers/snapshot.js';

describe('the console clock ticks between snapshots only when the screen counts up', () => {
  const fresh = snapshot();
  const base = { snapshot: fresh, snapshotSeenAtMs: 1_000, noticeUntilMs: null, checkRunning: false };

  it('rests while every source answers and snapshots arrive', () => {
    assert.equal(clockMustTick(base, 2_000), false);
  });

  it('ticks for a source that stopped answering (STALE counts up)', () => {
    const stale = snapshot({ health: { ...fresh.health, target: health('target', false, 'down') } });
    assert.equal(clockMustTick({ ...base, snapshot: stale }, 2_000), true);
  });

  it('ticks when snapshots stop arriving, before the first one, for a notice and a running check', () => {
    assert.equal(clockMustTick(base, 1_000 + SNAPSHOT_OVERDUE_MS), true);
    assert.equal(clockMustTick({ ...base, snapshot: null, snapshotSeenAtMs: null }, 2_000), true);
    assert.equal(clockMustTick({ ...base, noticeUntilMs: 5_000 }, 2_000), true);
    assert.equal(clockMustTick({ ...base, snapshotSeenAtMs: 6_500, noticeUntilMs: 5_000 }, 7_000), false);
    assert.equal(clockMustTick({ ...base, checkRunning: true }, 2_000), true);
  });

  it('does not tick for a source that is not configured', () => {
    const off = snapshot({
      health: { ...fresh.health, metrics: { ...health('metrics', false), configured: false } },
    });
    assert.equal(clockMustTick({ ...base, snapshot: off }, 2_000), false);
  });
});
