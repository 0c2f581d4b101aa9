import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ReplicationPolicyName } from './config-files.js';
import type { LabPorts } from './layout.js';

export type MirrorMode = 'connect' | 'dedicated';

export interface LabSettings {
  mm2: MirrorMode;
  secure: boolean;
  policy: ReplicationPolicyName;
  portOffset: number;
}

export type Component = 'source' | 'target' | 'connect' | 'mm2' | 'traffic';

/** What `lab up` recorded in the state directory: enough for `status`, `down` and `mirror` to find everything. */
export interface LabRecord {
  settings: LabSettings;
  ports: LabPorts;
  clusterIds: { source: string; target: string };
  pids: Partial<Record<Component, number>>;
  seeded: boolean;
  /** The mirror was stopped on purpose (`lab mirror stop`): `up` must not restart it behind the operator's back. */
  mirrorStopped?: boolean;
}

export function readLabRecord(file: string): LabRecord | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LabRecord;
}

export function writeLabRecord(file: string, record: LabRecord): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
