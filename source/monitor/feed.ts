import type { Snapshot } from './snapshot.js';

/** What a view needs from the poller: the newest snapshot, updates, and the operator's controls. */
export interface SnapshotFeed {
  current(): Snapshot | null;
  /** Called with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: Snapshot) => void): () => void;
  /** Starts a refresh now (no-op while one runs). */
  refreshNow(): void;
  /** Paused: no refresh happens until resumed (the last snapshot stays on screen). */
  setPaused(paused: boolean): void;
  isPaused(): boolean;
  readonly intervalMs: number;
  /** Several MM2 flows (see flow-switch.ts): how many, and selecting the next one (returns its label). */
  readonly flowCount?: number;
  nextFlow?(): string;
}
