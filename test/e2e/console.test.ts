import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '../../source/kafka/client.js';
import type { LabStatus } from '../../source/lab/lab-status.js';
import { ConnectRestClient } from '../../source/mm2/connect-rest.js';
import { eventually, SHARED_LAB_DIR, SHARED_LAB_OFFSET, sharedLab, uniqueValue } from '../helpers/lab.js';
import { kcat, kcatProduce, mirrorwatch } from '../helpers/run.js';
import { startSlowProxy } from '../helpers/slow-proxy.js';
import { ConsoleSession } from '../helpers/tmux.js';

const LAB = ['--lab', SHARED_LAB_DIR];

async function kcatPartitions(brokers: string, topic: string): Promise<number | undefined> {
  const result = await kcat(['-L', '-b', brokers, '-t', topic, '-m', '10']);
  // A missing topic is listed as `with 0 partitions: Broker: Unknown topic or partition`.
  const match = /topic "[^"]+" with (\d+) partitions/.exec(result.stdout);
  return match && Number(match[1]) > 0 ? Number(match[1]) : undefined;
}

async function lastValues(brokers: string, topic: string): Promise<string[]> {
  return (await kcat(['-C', '-b', brokers, '-t', topic, '-o', '-30', '-e', '-q'], 20_000)).stdout.split('\n');
}

function visibleLines(screen: string): number {
  const lines = screen.split('\n');
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  return lines.length;
}

/**
 * The Topics pane has read both clusters. Which names fit on the screen depends on what earlier tests
 * created on the shared lab, so tests that need one topic filter for it rather than look for it.
 */
const TOPICS_LOADED = /[1-9]\d* topics · /;

describe('the console in a real terminal (tmux) against the lab', () => {
  let lab: LabStatus;
  before(async () => {
    lab = await sharedLab();
  });
  after(async () => {
    await ConsoleSession.killServer();
  });

  it('shows topics, group lag, heartbeat age and record count at 120x40, run as installed (bin/mirrorwatch)', async () => {
    const session = await ConsoleSession.start('wide', LAB, { width: 120, height: 40 }, { installed: true });
    try {
      const topics = await session.waitFor([/topic1/, /topic2/, /DmmAccess/, /apache-logs/, /20,000/]);
      assert.ok(visibleLines(topics) <= 39, 'the frame stays shorter than the terminal');
      // The launcher's settings reached the console's own process.
      const pid = await session.pid();
      assert.ok(pid !== null);
      assert.ok(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--max-semi-space-size=4'));
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      assert.ok(environ.includes('MALLOC_TRIM_THRESHOLD_=131072'));
      assert.ok(environ.includes('MALLOC_MMAP_THRESHOLD_=16384'));
      await session.key('2');
      await session.waitFor([/apache-logs-indexer/, /dmm-access-reader/, /\b\d{1,3}(,\d{3})*\b/]);
      await session.key('3');
      const mirror = await session.waitFor([/old\s*(→|->)\s*new/, /\b\d+s\b/, /records replicated\s+[\d,]+/]);
      // record-count is cumulative since the MM2 task started (a task reconfiguration resets it).
      const count = Number(/records replicated\s+([\d,]+)/.exec(mirror)![1]!.replaceAll(',', ''));
      assert.ok(count > 0, `record count ${count}`);
    } finally {
      await session.stop();
    }
  });

  it('stays usable at 80x24', async () => {
    const session = await ConsoleSession.start('narrow', LAB, { width: 80, height: 24 });
    try {
      const screen = await session.waitFor([TOPICS_LOADED, /apache-logs/, /\? help/]);
      assert.ok(visibleLines(screen) <= 23);
      for (const line of screen.split('\n')) assert.ok([...line].length <= 80);
      await session.key('2');
      await session.waitFor(/apache-logs-ind/); // names are cut to fit 80 columns
      await session.key('3');
      await session.waitFor(/old\s*(→|->)\s*new/);
      // Growing the terminal redraws at the new size: the full group name fits again.
      await session.resize(120, 40);
      await session.key('2');
      const wide = await session.waitFor(/apache-logs-indexer/);
      assert.ok(visibleLines(wide) <= 39);
    } finally {
      await session.stop();
    }
  });

  it('a second filter replaces the first: topic2, then topic1 selects topic1', async () => {
    const session = await ConsoleSession.start('filter', LAB, { width: 120, height: 40 });
    const typeFilter = async (text: string) => {
      await session.key('/');
      for (const ch of text) await session.key(ch, 60);
      await session.key('Enter');
    };
    try {
      await session.waitFor(TOPICS_LOADED);
      await typeFilter('topic2');
      await session.waitFor(/filter "topic2"/);
      await typeFilter('topic1');
      const screen = await session.waitFor(/filter "topic1"/);
      const selected = screen.split('\n').find((line) => line.startsWith('›'));
      assert.match(selected ?? '', /topic1/, screen);
      assert.doesNotMatch(screen, /topic2topic1/);
    } finally {
      await session.stop();
    }
  });

  it('a slow metrics endpoint reads slow with its data, and the clusters still refresh every 2 s', async () => {
    const proxy = await startSlowProxy(lab.metrics.url, 5000);
    const session = await ConsoleSession.start('slowmetrics', [...LAB, '--metrics-url', proxy.url], {
      width: 120,
      height: 40,
    });
    const refreshed = (screen: string) => /refreshed (\d\d:\d\d:\d\d)/.exec(screen)?.[1];
    try {
      const first = await session.waitFor([/metrics ✓ slow [5-9]\.\d+s/, TOPICS_LOADED], 40_000);
      await session.key('3');
      await session.waitFor(/records replicated\s+[1-9][\d,]*/);
      const before = refreshed(await session.screen());
      await sleep(3000);
      const later = await session.screen();
      assert.ok(before && refreshed(later) && refreshed(later) !== before, `${before}\n${later}`);
      assert.doesNotMatch(first, /metrics ✗/);
    } finally {
      await session.stop();
      await proxy.close();
    }
  });

  it('C on topic2 counts 20,000 records on both clusters', async () => {
    const session = await ConsoleSession.start('check', LAB, { width: 120, height: 40 });
    try {
      await session.waitFor(TOPICS_LOADED);
      await session.key('/');
      for (const ch of 'topic2') await session.key(ch, 60);
      await session.key('Enter');
      await session.key('C');
      await session.waitFor(/source|target/i, 5000);
      await session.key('s');
      const screen = await session.waitFor([/20,000/, /target/, /equal|match|✓/i], 60_000);
      assert.match(screen, /topic2/);
    } finally {
      await session.stop();
    }
  });

  it('shows a record carrying an OSC title and colour codes escaped, leaving the pane title alone', async () => {
    const admin = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'e2e').admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'e2e-escape', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    await kcatProduce(
      lab.source.bootstrap,
      'e2e-escape',
      'before\u001b]0;pwned-title\u0007\u001b[41mred-bg\u001b[0m after',
    );
    const session = await ConsoleSession.start('escape', LAB, { width: 120, height: 40 });
    try {
      await session.waitFor(/e2e-escape/);
      const titleBefore = await session.title();
      await session.key('/');
      for (const ch of 'e2e-escape') await session.key(ch, 60);
      await session.key('Enter');
      await session.key('C');
      await session.key('s');
      const screen = await session.waitFor(/\\x1b\]0;pwned-title/, 60_000);
      assert.match(screen, /\\x1b\[41mred-bg/);
      assert.equal(await session.title(), titleBefore);
      assert.ok(!(await session.title()).includes('pwned'));
    } finally {
      await session.stop();
    }
  });

  it('T recreates a topic deleted from the target; S stops the mirror, R resumes it', async () => {
    const source = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'e2e').admin();
    const target = createKafka({ name: 'target', brokers: [lab.target.bootstrap] }, 'e2e').admin();
    const rest = new ConnectRestClient(lab.connect.url!);
    await source.connect();
    await target.connect();
    const session = await ConsoleSession.start('actions', LAB, { width: 120, height: 40 });
    try {
      await source.createTopics({
        topics: [
          {
            topic: 'e2e-orders',
            numPartitions: 3,
            configEntries: [{ name: 'retention.ms', value: '3600000' }],
          },
        ],
        waitForLeaders: true,
      });
      await eventually(
        'e2e-orders mirrored',
        async () => (await kcatPartitions(lab.target.bootstrap, 'e2e-orders')) === 3,
        60_000,
      );
      await session.waitFor(/e2e-orders/);

      await session.key('S');
      await session.waitFor(/PUT \/connectors/);
      await session.confirmStop();
      await eventually(
        'connectors stopped',
        // Stopped means the tasks are gone too (a paused task may still flush what it polled).
        async () =>
          (await rest.statuses()).every(
            (s) =>
              (s.connector.state === 'STOPPED' || s.connector.state === 'PAUSED') &&
              s.tasks.every((t) => t.state !== 'RUNNING'),
          ),
        60_000,
      );
      await sleep(3000);
      const whileStopped = uniqueValue('stopped');
      await kcatProduce(lab.source.bootstrap, 'topic1', whileStopped);
      await sleep(10_000);
      assert.ok(
        !(await lastValues(lab.target.bootstrap, 'topic1')).includes(whileStopped),
        'nothing arrives while stopped',
      );

      await target.deleteTopics({ topics: ['e2e-orders'] });
      await eventually(
        'e2e-orders gone from the target',
        async () => (await kcatPartitions(lab.target.bootstrap, 'e2e-orders')) === undefined,
      );
      await session.waitFor(/missing/, 30_000);
      await session.key('T');
      await session.waitFor(/e2e-orders/, 10_000);
      await session.key('y');
      await eventually(
        'e2e-orders recreated',
        async () => (await kcatPartitions(lab.target.bootstrap, 'e2e-orders')) === 3,
        30_000,
      );
      const configs = await target.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: 'e2e-orders', configNames: ['retention.ms'] }],
      });
      assert.equal(configs.resources[0]?.configEntries[0]?.configValue, '3600000');

      await session.key('R');
      await session.waitFor(/resume/i);
      await session.key('y');
      await eventually(
        'connectors running',
        async () => (await rest.statuses()).every((s) => s.connector.state === 'RUNNING'),
        60_000,
      );
      await eventually(
        'the record produced while stopped arrives',
        async () => (await lastValues(lab.target.bootstrap, 'topic1')).includes(whileStopped),
        90_000,
      );
      await session.key('5');
      await session.waitFor([/created topic e2e-orders/, /mirror stop requested/, /mirror resume requested/]);
    } finally {
      await session.stop();
      // Leave the shared lab mirroring for the tests after this one, whatever happened above.
      for (const status of await rest.statuses().catch(() => [])) {
        if (status.connector.state !== 'RUNNING') await rest.resume(status.name).catch(() => {});
      }
      await source.disconnect();
      await target.disconnect();
    }
  });

  it('marks the target stale when its broker dies and recovers without a key press', async () => {
    const session = await ConsoleSession.start('recover', LAB, { width: 120, height: 40 });
    try {
      await session.waitFor(TOPICS_LOADED);
      await session.key('/');
      for (const ch of 'topic2') await session.key(ch, 60);
      await session.key('Enter');
      await session.waitFor(/filter "topic2"/);
      const record = JSON.parse(readFileSync(join(SHARED_LAB_DIR, 'lab.json'), 'utf8')) as {
        pids: { target: number };
      };
      process.kill(record.pids.target, 'SIGKILL');
      await session.waitFor(/STALE/, 60_000);
      const up = await mirrorwatch(
        ['lab', 'up', '--state-dir', SHARED_LAB_DIR, '--port-offset', String(SHARED_LAB_OFFSET)],
        {
          timeoutMs: 300_000,
        },
      );
      assert.equal(up.code, 0, up.stderr);
      await eventually('console recovered', async () => !/STALE/.test(await session.screen()), 90_000);
      // The operator's place survives: the filter and the row it selected.
      const after = await session.screen();
      assert.match(after, /filter "topic2"/);
      assert.match(after.split('\n').find((line) => line.startsWith('›')) ?? '', /topic2/, after);
    } finally {
      await session.stop();
    }
  });
});
