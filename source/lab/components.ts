/** Which lab process is which: its ports, and whether it runs. */

import { isListening } from '../util/listening.js';
import { LabError } from './errors.js';
import { marker } from './jvm.js';
import { brokerPortOf } from './layout.js';
import { isOurProcess } from './processes.js';
import {
  brokerComponent,
  brokersOf,
  type ClusterName,
  type Component,
  type LabRecord,
  sourceUsesZooKeeper,
  zookeeperPortOf,
} from './record.js';

/** `source-2` -> source, node 2; `source` -> source, node 1; anything else: not a broker. */
export function parseBrokerComponent(component: Component): { cluster: ClusterName; nodeId: number } | null {
  const match = /^(source|target)(?:-(\d+))?$/.exec(component);
  if (!match) return null;
  return { cluster: match[1] as ClusterName, nodeId: match[2] ? Number(match[2]) : 1 };
}

/** Every broker component of the lab, extra brokers before node 1 (the controller) in each cluster. */
export function brokerComponents(record: LabRecord, cluster: ClusterName): Component[] {
  const nodes = Array.from({ length: brokersOf(record.settings) }, (_, i) => i + 1);
  return nodes.reverse().map((nodeId) => brokerComponent(cluster, nodeId));
}

export function componentPorts(record: LabRecord, component: Component): number[] {
  const p = record.ports;
  const broker = parseBrokerComponent(component);
  if (broker) {
    const { cluster, nodeId } = broker;
    const base = cluster === 'source' ? p.sourceBroker : p.targetBroker;
    const ports = [brokerPortOf(base, nodeId)];
    const kraft = cluster === 'target' || !sourceUsesZooKeeper(record.settings);
    if (nodeId === 1 && kraft) ports.push(cluster === 'source' ? p.sourceController : p.targetController);
    if (cluster === 'target' && record.settings.secure) ports.push(brokerPortOf(p.targetInternal, nodeId));
    return ports;
  }
  switch (component) {
    case 'connect':
      return [p.connectRest, p.metrics];
    case 'mm2':
    case 'mm1':
      return [p.metrics];
    case 'zookeeper':
      return sourceUsesZooKeeper(record.settings) ? [zookeeperPortOf(p)] : [];
    default:
      return [];
  }
}

export async function ensurePortsFree(record: LabRecord, component: Component, label: string): Promise<void> {
  for (const port of componentPorts(record, component)) {
    if (await isListening(port)) {
      throw new LabError(
        `port ${port} (${label}) is already in use by another process: stop it, or move the lab with --port-offset N`,
      );
    }
  }
}

export function isRunning(record: LabRecord | undefined, stateDir: string, component: Component): boolean {
  return isOurProcess(record?.pids[component], marker(stateDir));
}
