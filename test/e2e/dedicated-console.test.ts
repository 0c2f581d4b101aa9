import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LabStatus } from '../../source/lab/lab-status.js';
import { eventually, labStatusOf, uniqueValue } from '../helpers/lab.js';
import { CLI, kcat, kcatProduce, mirrorwatch } from '../helpers/run.js';
import { ConsoleSession } from '../helpers/tmux.js';

const STATE_DIR = join(tmpdir(), `mirrorwatch-test-dedicated-console-${process.pid}`);

async function lastValues(brokers: string, topic: string): Promise<string[]> {
  return (await kcat(['-C', '-b', brokers, '-t', topic, '-o', '-30', '-e', '-q'], 20_000)).stdout.split('\n');
}

describe('the console with dedicated MM2 and operator stop/resume commands', () => {
  let lab: LabStatus;
  before(async () => {
    const up = await mirrorwatch(
      ['lab', 'up', '--mm2', 'dedicated', '--port-offset', '2500', '--state-dir', STATE_DIR],
      { timeoutMs: 600_000 },
    );
    assert.equal(up.code, 0, up.stderr);
    lab = await labStatusOf(STATE_DIR);
  });
  after(async () => {
    await ConsoleSession.killServer();
    await mirrorwatch(['lab', 'reset', '--state-dir', STATE_DIR], { timeoutMs: 120_000 });
  });

  it('S runs --mirror-stop-command (the flow stops), R runs --mirror-resume-command (the record arrives)', async () => {
    const lab_ = (action: string) =>
      `${process.execPath} ${CLI} lab mirror ${action} --state-dir ${STATE_DIR}`;
    const session = await ConsoleSession.start(
      'dedicated',
      ['--lab', STATE_DIR, '--mirror-stop-command', lab_('stop'), '--mirror-resume-command', lab_('start')],
      { width: 120, height: 40 },
    );
    try {
      await session.waitFor([/topic2/, /20,000/]);
      await session.key('3');
      await session.waitFor(/MirrorSourceConnector/, 30_000);
      await session.key('S');
      await session.waitFor(/lab mirror stop/);
      await session.confirmStop();
      await eventually(
        'MM2 process stopped',
        async () => !(await labStatusOf(STATE_DIR)).mirror.running,
        60_000,
      );
      const whileStopped = uniqueValue('dedicated-console');
      await kcatProduce(lab.source.bootstrap, 'topic1', whileStopped);
      await sleep(10_000);
      assert.ok(!(await lastValues(lab.target.bootstrap, 'topic1')).includes(whileStopped));

      await session.key('R');
      await session.waitFor(/lab mirror start/);
      await session.key('y');
      await eventually(
        'record arrives after resume',
        async () => (await lastValues(lab.target.bootstrap, 'topic1')).includes(whileStopped),
        120_000,
      );
      await session.key('5');
      await session.waitFor(/exit 0/);
    } finally {
      await session.stop();
    }
  });

  it('refuses S in --read-only and says so', async () => {
    const session = await ConsoleSession.start('readonly', ['--lab', STATE_DIR, '--read-only'], {
      width: 100,
      height: 30,
    });
    try {
      await session.waitFor([/READ-ONLY/, /topic2/]);
      await session.key('S');
      await session.key('5');
      await session.waitFor(/read-only/i);
      assert.equal((await labStatusOf(STATE_DIR)).mirror.running, true);
    } finally {
      await session.stop();
    }
  });
});
