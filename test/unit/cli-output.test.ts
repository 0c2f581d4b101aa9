import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { belowLogStartNote } from '../../source/cli/commands/lag.js';
import { groupedVerifyText } from '../../source/cli/commands/verify.js';
import { table } from '../../source/cli/format.js';
import { cutoverGate } from '../../source/model/cutover.js';
import type { GroupInfo } from '../../source/monitor/snapshot.js';
import { NO_TRANSLATIONS, partitionsOf } from '../helpers/group-partitions.js';
import { mirrorTopic, snapshot } from '../helpers/snapshot.js';

describe('command output', () => {
  it('aligns a table of 200,000 rows (both clusters at lab scale) without overflowing the stack', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [`group-${i}`, i]);
    const text = table(['GROUP', 'LAG'], rows);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 200_001);
    assert.equal(lines[0], 'GROUP         LAG');
    assert.equal(lines[200_000], 'group-199999  199999');
  });
});

describe('names from the wire in the notes beside the tables', () => {
  // A group and a topic named with a terminal escape (clear the screen, set the title): printed escaped.
  const group = 'billing\u001b[2J\u001b]0;owned\u0007';
  const topic = 'orders\u001b[31m';
  const hasRawControl = (text: string) => /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text);

  it('escapes them in the lag note of partitions committed below the log start', () => {
    const row = { cluster: 'source' as const, group, topic, partition: 3, belowLogStart: true };
    const note = belowLogStartNote([row, { ...row, partition: 4, belowLogStart: false }]);
    assert.ok(note !== null);
    assert.equal(hasRawControl(note.trimEnd()), false, JSON.stringify(note));
    assert.match(
      note,
      /^note: 1 partition\(s\) committed below the log start .*: source billing\\x1b\[2J.* orders\\x1b\[31m\/3\n$/,
    );
    assert.equal(belowLogStartNote([{ ...row, belowLogStart: false }]), null);
  });

  it("escapes them in verify's lines for a group committed below the log start", () => {
    const s = snapshot();
    s.mirror.topics = [mirrorTopic(topic, 0)];
    const info: GroupInfo = {
      cluster: 'source',
      group,
      state: 'Empty',
      protocolType: 'consumer',
      protocol: 'classic',
      members: 0,
      partitions: partitionsOf([
        {
          topic,
          partition: 0,
          committed: 5,
          logEnd: 10,
          belowLogStart: true,
          lag: 5,
          negative: false,
          owner: null,
        },
      ]),
      totalLag: 5,
      translations: NO_TRANSLATIONS,
    };
    s.source = { ...s.source, groups: [info] };
    const checks = cutoverGate(s).checks;
    assert.ok(
      checks.some((c) => c.reason === 'group-below-log-start'),
      JSON.stringify(checks),
    );
    const text = groupedVerifyText(checks).join('\n');
    assert.match(text, /committed below the log start, 1 on the source \(orders\\x1b\[31m\/0\)/);
    assert.match(text, /group billing\\x1b\[2J/);
    assert.equal(hasRawControl(text), false, text);
  });
});
