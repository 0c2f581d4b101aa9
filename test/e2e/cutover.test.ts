/**
 * The Cutover pane (6) and S in a real terminal (tmux) against the lab: the runbook live, and stopping
 * the mirror while a step is not done asks for the flow name: the lab's seeded groups have not been
 * started on the target (and apache-logs-indexer has read only half its topic on a fresh lab).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LabStatus } from '../../source/lab/lab-status.js';
import { ConnectRestClient } from '../../source/mm2/connect-rest.js';
import { eventually, SHARED_LAB_DIR, sharedLab } from '../helpers/lab.js';
import { mirrorwatch } from '../helpers/run.js';
import { ConsoleSession } from '../helpers/tmux.js';

const MIRROR_CONNECTOR = /Mirror(Source|Checkpoint|Heartbeat)Connector/;

describe('the Cutover pane and S in a real terminal', () => {
  let lab: LabStatus;
  let rest: ConnectRestClient;
  before(async () => {
    lab = await sharedLab();
    rest = new ConnectRestClient(lab.connect.url!);
  });
  after(async () => {
    await ConsoleSession.killServer();
    await mirrorwatch(['lab', 'mirror', 'start', '--state-dir', SHARED_LAB_DIR], { timeoutMs: 120_000 });
  });

  const mirrorStates = async () =>
    (await rest.statuses()).filter((s) => MIRROR_CONNECTOR.test(s.name)).map((s) => s.connector.state);

  it('shows the runbook on 6; S asks for the flow name and stops only when it is typed', async () => {
    const session = await ConsoleSession.start('cutover', ['--lab', SHARED_LAB_DIR], {
      width: 120,
      height: 40,
    });
    try {
      await session.key('6');
      const pane = await session.waitFor([
        /\[6 Cutover\]/,
        /CUTOVER +runbook old (→|->) new: MM2 at most 5 s behind, producers quiet 30 s/,
        /NOT READY +next: step \d, /,
        /[✓✗-] 1 (done|NOT DONE|waiting) +topics and configs present on the target/,
        /[✓✗-] 7 (done|NOT DONE|waiting) +mirror stopped/,
      ]);
      // a seeded group is named where it holds the runbook (drained on the source or started on the target)
      assert.match(pane, /apache-logs-indexer/);
      assert.ok(pane.split('\n').filter((l) => /^ *› [✓✗-] \d /.test(l)).length === 1, pane);

      await session.key('S');
      await session.waitFor([
        /Stop the mirror\? This will run:/,
        /Runbook NOT DONE: step \d/,
        /Type old->new and Enter to stop anyway:/,
      ]);
      await session.keys('y', 'Enter');
      await session.waitFor(/Type old->new and Enter to stop anyway:/);
      assert.deepEqual(
        [...new Set(await mirrorStates())],
        ['RUNNING'],
        'y and a wrong name do not stop the mirror',
      );
      await session.keys('o', 'l', 'd', '-', '>', 'n', 'e', 'w');
      await session.waitFor(/stop anyway: old->new/);
      await session.key('Enter');
      await eventually(
        'the MM2 connectors stopped through Connect REST',
        async () => (await mirrorStates()).every((state) => state === 'STOPPED'),
        60_000,
      );
      // the pane follows: step 7's own check holds while it waits on the earlier steps
      await session.waitFor(/- 7 waiting +mirror stopped/);
      await session.waitFor(/its own check ✓: 3 connector\(s\) STOPPED/, 30_000);
    } finally {
      await session.stop();
    }
  });
});
