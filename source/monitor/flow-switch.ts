/**
 * The console over several MM2 flows: one poller refreshes, the selected flow's; `f` pauses it and starts
 * (or resumes) the next flow's. The view keeps its panes and selections: only the snapshots change.
 */
import type { Connection } from '../config/connection.js';
import type { SnapshotFeed } from './feed.js';
import type { Snapshot } from './snapshot.js';

export interface FlowFeed extends SnapshotFeed {
  /** How many flows there are (the header says `f` switches when more than one). */
  readonly flowCount: number;
  /** Selects the next flow; returns its label (`old->new`). */
  nextFlow(): string;
}

/** What a flow's poller must offer: a feed it can start and stop. */
export interface FlowPoller extends SnapshotFeed {
  start(): void;
  stop(): Promise<void>;
}

export function flowName(connection: Connection): string {
  return `${connection.source.alias}->${connection.target.alias}`;
}

export class FlowSwitchingFeed implements FlowFeed {
  private readonly pollers: Array<FlowPoller | null>;
  private index = 0;
  private paused = false;
  private readonly listeners = new Set<(snapshot: Snapshot) => void>();
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly connections: readonly Connection[],
    private readonly pollerFor: (connection: Connection, index: number) => FlowPoller,
  ) {
    if (connections.length === 0) throw new Error('FlowSwitchingFeed needs at least one flow');
    this.pollers = connections.map(() => null);
  }

  get flowCount(): number {
    return this.connections.length;
  }

  get intervalMs(): number {
    return this.selected().intervalMs;
  }

  /** The selected flow's connection (actions follow it). */
  connection(): Connection {
    return this.connections[this.index] as Connection;
  }

  selected(): FlowPoller {
    let poller = this.pollers[this.index];
    if (!poller) {
      poller = this.pollerFor(this.connection(), this.index);
      this.pollers[this.index] = poller;
      poller.setPaused(this.paused);
      poller.start();
    }
    return poller;
  }

  start(): void {
    this.attach();
  }

  private attach(): void {
    const poller = this.selected();
    this.unsubscribe = poller.subscribe((snapshot) => {
      for (const listener of this.listeners) listener(snapshot);
    });
  }

  nextFlow(): string {
    if (this.connections.length > 1) {
      this.unsubscribe();
      this.selected().setPaused(true);
      this.index = (this.index + 1) % this.connections.length;
      const poller = this.selected();
      poller.setPaused(this.paused);
      this.attach();
      const current = poller.current();
      if (current) for (const listener of this.listeners) listener(current);
      if (!this.paused) poller.refreshNow();
    }
    return flowName(this.connection());
  }

  current(): Snapshot | null {
    return this.selected().current();
  }

  subscribe(listener: (snapshot: Snapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  refreshNow(): void {
    this.selected().refreshNow();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.selected().setPaused(paused);
  }

  isPaused(): boolean {
    return this.paused;
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await Promise.all(this.pollers.map((p) => p?.stop()));
  }
}
