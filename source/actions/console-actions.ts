/** The actions the console offers, wired to the connection and the poller's latest snapshot. */
import type { Connection } from '../config/connection.js';
import { createKafka } from '../kafka/client.js';
import type { SnapshotFeed } from '../monitor/feed.js';
import { startCheck } from './check.js';
import { positionsIn } from './compare.js';
import { createTopics, missingTopicsPlan, validatedOnTarget, withSourceConfigs } from './create-topics.js';
import { CutoverReader } from './cutover-reads.js';
import { CommandMirrorControl, RestMirrorControl } from './mirror-control.js';
import type { ConsoleActions, MirrorControl } from './types.js';

export interface MirrorCommands {
  stop?: string;
  resume?: string;
}

export function mirrorControlFor(connection: Connection, commands: MirrorCommands): MirrorControl | null {
  if (commands.stop) return new CommandMirrorControl(commands.stop, commands.resume ?? null);
  if (connection.connectUrl)
    return new RestMirrorControl(connection.connectUrl, connection.connectAuthorization);
  return null;
}

export function consoleActions(
  connection: Connection,
  feed: SnapshotFeed,
  commands: MirrorCommands,
): ConsoleActions {
  const kafka = (role: 'source' | 'target') =>
    createKafka(
      { name: role, brokers: connection[role].bootstrap, security: connection[role].security },
      `mirrorwatch-actions-${role}`,
    );
  const cutover = new CutoverReader(connection);
  return {
    async planMissingTopics() {
      const snapshot = feed.current();
      if (!snapshot) return [];
      const plan = await withSourceConfigs(kafka('source'), missingTopicsPlan(snapshot));
      const validated = await validatedOnTarget(kafka('target'), plan);
      const toMm2 = snapshot.mirror.refusedTopics;
      return validated.map((t) => {
        const why = t.refused === undefined ? toMm2?.get(t.target) : undefined;
        return why === undefined ? t : { ...t, refusedToMm2: why };
      });
    },
    async createTopics(plan) {
      const outcomes = await createTopics(kafka('target'), plan);
      feed.refreshNow();
      return outcomes;
    },
    startCheck: (cluster, topic, onProgress) =>
      startCheck(connection, cluster, topic, onProgress, async (t) => positionsIn(feed.current(), t)),
    mirror: mirrorControlFor(connection, commands),
    async cutoverReads() {
      const snapshot = feed.current();
      if (!snapshot) throw new Error('no snapshot yet');
      return cutover.read(snapshot);
    },
    close: () => cutover.close(),
  };
}

/**
 * The actions of whichever flow the console shows: each flow's actions are built once, on first use, for
 * its own clusters and Connect (T creates topics on the selected flow's target, S/R stop its mirror).
 */
export function flowActions(
  feed: { connection(): Connection },
  actionsFor: (connection: Connection) => ConsoleActions,
): ConsoleActions {
  const built = new Map<Connection, ConsoleActions>();
  const current = (): ConsoleActions => {
    const connection = feed.connection();
    let actions = built.get(connection);
    if (!actions) {
      actions = actionsFor(connection);
      built.set(connection, actions);
    }
    return actions;
  };
  return {
    planMissingTopics: () => current().planMissingTopics(),
    createTopics: (plan) => current().createTopics(plan),
    startCheck: (cluster, topic, onProgress) => current().startCheck(cluster, topic, onProgress),
    cutoverReads: () => current().cutoverReads(),
    async close() {
      await Promise.all([...built.values()].map((actions) => actions.close()));
    },
    get mirror() {
      return current().mirror;
    },
  };
}
