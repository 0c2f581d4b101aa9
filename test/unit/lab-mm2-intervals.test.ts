import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dedicatedMm2Properties, mirrorConnectorConfigs } from '../../source/lab/config-files.js';
import { sameLayout } from '../../source/lab/lab.js';
import { DEFAULT_MM2_INTERVAL_SECONDS, mm2IntervalOf } from '../../source/lab/record.js';

const INTERVALS = [
  'refresh.topics.interval.seconds',
  'refresh.groups.interval.seconds',
  'emit.checkpoints.interval.seconds',
  'sync.group.offsets.interval.seconds',
];

describe("the lab's MM2 intervals (lab up --mm2-interval)", () => {
  const options = { sourceBootstrap: 's:1', targetBootstrap: 't:1', policy: 'identity' as const };

  it('go to every connector that has them, and heartbeats stay at 1 s', () => {
    const configs = mirrorConnectorConfigs({ ...options, intervalSeconds: 60 });
    const found = new Map<string, unknown>();
    for (const config of Object.values(configs))
      for (const key of INTERVALS) if (key in config) found.set(key, config[key]);
    assert.deepEqual(Object.fromEntries(found), Object.fromEntries(INTERVALS.map((k) => [k, 60])));
    const heartbeat = Object.values(configs).find((c) =>
      String(c['connector.class']).endsWith('MirrorHeartbeatConnector'),
    );
    assert.equal(heartbeat?.['emit.heartbeats.interval.seconds'], 1);
    // The reverse flow of an active/active lab runs at the same pace.
    const reverse = mirrorConnectorConfigs({ ...options, intervalSeconds: 7, reverse: true });
    for (const config of Object.values(reverse))
      for (const key of INTERVALS) if (key in config) assert.equal(config[key], 7, key);
  });

  it('go to the dedicated MirrorMaker 2 as well', () => {
    const properties = dedicatedMm2Properties({ ...options, intervalSeconds: 60 });
    for (const key of INTERVALS) assert.equal(properties[key], 60, key);
    assert.equal(properties['emit.heartbeats.interval.seconds'], 1);
  });

  it("are 5 s in a lab recorded without the setting (the tests' pace)", () => {
    const settings = { mm2: 'connect' as const, secure: false, policy: 'identity' as const, portOffset: 0 };
    assert.equal(DEFAULT_MM2_INTERVAL_SECONDS, 5);
    assert.equal(mm2IntervalOf(settings), 5);
    assert.equal(mm2IntervalOf({ ...settings, mm2IntervalSeconds: 60 }), 60);
  });

  it('change no layout: a stopped lab keeps its data when only they change (other settings start it anew)', () => {
    const settings = { mm2: 'connect' as const, secure: false, policy: 'identity' as const, portOffset: 0 };
    assert.equal(sameLayout(settings, { ...settings, mm2IntervalSeconds: 60 }), true);
    assert.equal(sameLayout(settings, { ...settings, brokers: 3 }), false);
    assert.equal(sameLayout(settings, { ...settings, brokerHeap: '1g' }), false);
    assert.equal(sameLayout(settings, { ...settings, portOffset: 1200 }), false);
  });
});
