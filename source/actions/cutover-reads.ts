/** The runbook's reads beyond the snapshot: topic configs on both clusters and the newest source writes. */
import type { Admin } from 'kafkajs';
import type { Connection } from '../config/connection.js';
import { WireCluster } from '../kafka/wire-cluster.js';
import { readNewestWrites } from '../monitor/read-newest-writes.js';
import { readConfigDrift } from '../monitor/read-topic-configs.js';
import type { Snapshot } from '../monitor/snapshot.js';
import type { CutoverReads } from './types.js';

interface Clients {
  source: WireCluster;
  sourceAdmin: Admin;
  targetAdmin: Admin;
}

/**
 * Reads what the runbook needs, with clients kept from one read to the next: the console reads every
 * 30 s while the runbook is shown, and new clients each time meant new connections (and, on a secured
 * cluster, a new login) to every broker of both clusters each time. Clients that failed a read are
 * closed, and the next read opens new ones; so are clients no read used for `idleCloseMs`. Its own
 * clients, not the poller's: the newest writes fetch the tail of every mirrored partition, which the
 * poller's refresh should not queue behind.
 */
export class CutoverReader {
  private clients: Promise<Clients> | null = null;
  private reading = 0;
  private idle: NodeJS.Timeout | undefined;

  /**
   * `idleCloseMs`: the clients are closed once no read ran for that long (the console reads once at
   * its first snapshot, and every 30 s only while the runbook is shown).
   */
  constructor(
    private readonly connection: Connection,
    private readonly idleCloseMs = 90_000,
  ) {}

  async read(snapshot: Snapshot): Promise<CutoverReads> {
    clearTimeout(this.idle);
    this.reading++;
    try {
      return await this.readWith(snapshot);
    } finally {
      if (--this.reading === 0 && this.clients)
        this.idle = setTimeout(() => void this.close(), this.idleCloseMs).unref();
    }
  }

  private async readWith(snapshot: Snapshot): Promise<CutoverReads> {
    const opening = this.open();
    try {
      const { source, sourceAdmin, targetAdmin } = await opening;
      const mirrored = new Set(snapshot.mirror.topics.map((t) => t.source));
      const [newestWrites, configDrift] = await Promise.all([
        readNewestWrites(
          source,
          snapshot.source.topics.filter((t) => mirrored.has(t.name)),
        ),
        readConfigDrift(sourceAdmin, targetAdmin, snapshot.mirror.topics),
      ]);
      return { newestWrites, configDrift };
    } catch (error) {
      if (this.clients === opening) await this.close();
      throw error;
    }
  }

  /** Disconnects the clients; a later read opens new ones. */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    const clients = this.clients;
    this.clients = null;
    if (!clients) return;
    const opened = await clients.catch(() => null);
    if (opened)
      await Promise.all([
        opened.source.disconnect(),
        opened.sourceAdmin.disconnect().catch(() => {}),
        opened.targetAdmin.disconnect().catch(() => {}),
      ]);
  }

  private open(): Promise<Clients> {
    this.clients ??= (async () => {
      const wire = (role: 'source' | 'target') =>
        new WireCluster(
          { name: role, brokers: this.connection[role].bootstrap, security: this.connection[role].security },
          `mirrorwatch-runbook-${role}`,
          { retries: 1, connectionTimeoutMs: 5000, requestTimeoutMs: 10_000 },
        );
      const source = wire('source');
      const sourceAdmin = source.kafka.admin();
      const targetAdmin = wire('target').kafka.admin();
      const connected = await Promise.allSettled([sourceAdmin.connect(), targetAdmin.connect()]);
      const failed = connected.find((c) => c.status === 'rejected');
      if (failed) {
        await Promise.all([
          sourceAdmin.disconnect().catch(() => {}),
          targetAdmin.disconnect().catch(() => {}),
        ]);
        throw failed.reason;
      }
      return { source, sourceAdmin, targetAdmin };
    })();
    return this.clients;
  }
}

/** One read with clients of its own, closed after it (the one-shot `verify --runbook`). */
export async function readCutoverInputs(connection: Connection, snapshot: Snapshot): Promise<CutoverReads> {
  const reader = new CutoverReader(connection);
  try {
    return await reader.read(snapshot);
  } finally {
    await reader.close();
  }
}
