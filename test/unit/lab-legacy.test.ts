import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { componentPorts } from '../../source/lab/components.js';
import { mirrorMaker1ConsumerProperties, zooKeeperBrokerProperties } from '../../source/lab/config-files.js';
import { portsWithOffset } from '../../source/lab/layout.js';
import { mirrorMaker1Args } from '../../source/lab/mirror-maker1.js';
import type { LabRecord } from '../../source/lab/record.js';
import { mirrorComponentOf, sourceKafkaVersion, zookeeperPortOf } from '../../source/lab/record.js';

function record(offset: number): LabRecord {
  return {
    settings: {
      mm2: 'connect',
      secure: false,
      policy: 'identity',
      portOffset: offset,
      sourceVersion: '2.8',
      mirror: 'mm1',
    },
    ports: portsWithOffset(offset),
    clusterIds: { source: 'a', target: 'b' },
    pids: {},
    seeded: false,
  };
}

describe('the legacy lab (2.8 source, MM1)', () => {
  it('derives the ZooKeeper port from the offset like every port', () => {
    assert.equal(zookeeperPortOf(portsWithOffset(7000)), 19181);
    // A record written before the ZooKeeper port existed: derived from its broker port.
    const { zookeeper: _, ...old } = portsWithOffset(7000);
    assert.equal(zookeeperPortOf(old), 19181);
    assert.deepEqual(componentPorts(record(7000), 'zookeeper'), [19181]);
    // A ZooKeeper-mode source broker has no KRaft controller port.
    assert.deepEqual(componentPorts(record(7000), 'source'), [26092]);
    assert.deepEqual(componentPorts(record(7000), 'mm1'), [36404]);
  });

  it('runs Kafka 2.8.2 and MM1 as seed 000 does', () => {
    const r = record(0);
    assert.equal(sourceKafkaVersion(r.settings), '2.8.2');
    assert.equal(mirrorComponentOf(r.settings), 'mm1');
    assert.equal(mirrorComponentOf({ ...r.settings, mirror: undefined }), 'connect');
    assert.equal(
      zooKeeperBrokerProperties({
        nodeId: 1,
        replicationFactor: 1,
        brokerPort: 1,
        zookeeperPort: 2,
        dataDir: '/d',
      })['zookeeper.connect'],
      '127.0.0.1:2',
    );
    assert.deepEqual(mirrorMaker1ConsumerProperties('h:1'), {
      'bootstrap.servers': 'h:1',
      'group.id': 'mirrormaker',
      'auto.offset.reset': 'earliest',
    });
    const args = mirrorMaker1Args('/c');
    assert.equal(args[0], 'kafka.tools.MirrorMaker');
    assert.equal(args[args.indexOf('--whitelist') + 1], 'topic1|topic2');
  });
});
