/** Which lab process is which: its ports, and whether it runs. */
import { LabError } from './errors.js';
import { marker } from './jvm.js';
import { isListening, isOurProcess } from './processes.js';
import type { Component, LabRecord } from './record.js';

export function componentPorts(record: LabRecord, component: Component): number[] {
  const p = record.ports;
  switch (component) {
    case 'source':
      return [p.sourceBroker, p.sourceController];
    case 'target':
      return record.settings.secure
        ? [p.targetBroker, p.targetController, p.targetInternal]
        : [p.targetBroker, p.targetController];
    case 'connect':
      return [p.connectRest, p.metrics];
    case 'mm2':
      return [p.metrics];
    case 'traffic':
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
