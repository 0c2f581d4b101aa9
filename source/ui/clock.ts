/**
 * When the console's clock needs to tick between snapshots. A tick re-renders the whole frame, which at
 * scale costs as much as a refresh's join; every snapshot re-reads the clock anyway, so while every
 * source answers the ages on screen (heartbeat, checkpoints, refreshed at) advance with the snapshots.
 * The clock ticks every second only when something counts up between them: a source that stopped
 * answering (`STALE 12s`), snapshots that stopped arriving, a notice to take down, a running check.
 */
import type { Snapshot } from '../monitor/snapshot.js';

/** Snapshots older than this mean the poller is stuck on a source: ages count up on their own again. */
export const SNAPSHOT_OVERDUE_MS = 5000;

export interface ClockNeeds {
  snapshot: Snapshot | null;
  /** The clock when the newest snapshot arrived. */
  snapshotSeenAtMs: number | null;
  /** When the footer's notice goes away, or null without one. */
  noticeUntilMs: number | null;
  checkRunning: boolean;
}

export function clockMustTick(needs: ClockNeeds, nowMs: number): boolean {
  if (needs.checkRunning) return true;
  if (needs.noticeUntilMs !== null && nowMs <= needs.noticeUntilMs + 1000) return true;
  const s = needs.snapshot;
  if (s === null || needs.snapshotSeenAtMs === null) return true;
  if (nowMs - needs.snapshotSeenAtMs >= SNAPSHOT_OVERDUE_MS) return true;
  return Object.values(s.health).some((h) => h.configured && !h.ok);
}
