import type { Connection } from '../config/connection.js';
import { Poller } from '../monitor/poller.js';
import type { ClusterRole, DataSourceName, Snapshot } from '../monitor/snapshot.js';
import { EXIT, UserError } from './errors.js';

export function debugLine(snapshot: Snapshot): string {
  const parts = Object.values(snapshot.health)
    .filter((h) => h.configured)
    .map((h) => `${h.name} ${h.requests}${h.ok ? '' : ' (failed)'}`);
  return `debug: refresh #${snapshot.seq}: ${snapshot.requests} requests (${parts.join(', ')}) in ${snapshot.refreshMs} ms\n`;
}

/**
 * One refresh of the named sources (all by default), then the connections are closed. With `required`,
 * fails with exit 2 when one of those clusters did not answer.
 */
export async function snapshotOnce(
  connection: Connection,
  options: {
    sources?: DataSourceName[];
    required?: ClusterRole[];
    debug: boolean;
    metricsTimeoutMs?: number;
  },
): Promise<Snapshot> {
  const poller = new Poller({
    connection,
    ...(options.sources ? { sources: options.sources } : {}),
    ...(options.metricsTimeoutMs !== undefined ? { metricsTimeoutMs: options.metricsTimeoutMs } : {}),
  });
  try {
    const snapshot = await poller.refresh();
    if (options.debug) process.stderr.write(debugLine(snapshot));
    for (const role of options.required ?? []) {
      const health = snapshot.health[role];
      if (!health.ok)
        throw new UserError(health.lastError ?? `${role} cluster unreachable`, EXIT.unreachable);
    }
    return snapshot;
  } finally {
    await poller.stop();
  }
}
