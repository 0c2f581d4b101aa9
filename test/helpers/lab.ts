import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '../../source/kafka/client.js';
import type { LabStatus } from '../../source/lab/lab-status.js';
import { mirrorwatch } from './run.js';

/** The lab shared by the test run: started by test/run.ts, on its own ports and state directory. */
export const SHARED_LAB_DIR = process.env.MIRRORWATCH_TEST_LAB_DIR ?? join(tmpdir(), 'mirrorwatch-test-lab');
export const SHARED_LAB_OFFSET = Number(process.env.MIRRORWATCH_TEST_LAB_OFFSET ?? 1000);

export async function labStatusOf(stateDir: string): Promise<LabStatus> {
  const result = await mirrorwatch(['lab', 'status', '--json', '--state-dir', stateDir]);
  return JSON.parse(result.stdout) as LabStatus;
}

/** The shared lab's status; fails the test when the lab is not running. */
export async function sharedLab(): Promise<LabStatus> {
  const status = await labStatusOf(SHARED_LAB_DIR);
  if (status.state !== 'running')
    throw new Error(`the shared test lab is ${status.state}: run the tests with npm test`);
  return status;
}

/** Polls `check` until it returns true, or fails with `message` after `timeoutMs`. */
export async function eventually(
  message: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
  intervalMs = 1000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await sleep(intervalMs);
  }
}

export function uniqueValue(label: string): string {
  return `${label}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Deletes `groups` on both clusters of the lab: later tests judge every group of the lab (verify's gate). */
export async function deleteGroupsOnBothClusters(lab: LabStatus, groups: string[]): Promise<void> {
  for (const cluster of ['source', 'target'] as const) {
    const admin = createKafka(
      { name: cluster, brokers: lab[cluster].bootstrap.split(',') },
      'test-cleanup',
    ).admin();
    await admin.connect();
    await admin.deleteGroups(groups).catch(() => {});
    await admin.disconnect();
  }
}
