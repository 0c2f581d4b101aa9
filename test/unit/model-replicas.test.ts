import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tolerantMetadataParse } from '../../source/kafka/offline-partitions.js';
import { clusterReplicaHealth, describeReplicaHealth, replicaHealth } from '../../source/model/replicas.js';
import type { PartitionInfo } from '../../source/monitor/snapshot.js';

function partition(leader: number, replicas: number, isr: number): PartitionInfo {
  return { partition: 0, leader, replicas, isr, earliest: 0, latest: 0 };
}

describe('replica health', () => {
  it('counts offline (no leader) and under-replicated (leader, ISR < replicas) apart', () => {
    const h = replicaHealth([
      partition(1, 3, 3),
      partition(2, 3, 2),
      partition(3, 3, 1),
      // KRaft keeps the last in-sync replica listed for a partition whose broker is down: still offline.
      partition(-1, 1, 1),
    ]);
    assert.deepEqual(h, { offline: 1, underReplicated: 2 });
  });

  it('sums over topics and says it in words, nothing when all is well', () => {
    const topic = (partitions: PartitionInfo[]) => ({
      name: 't',
      internal: false,
      replicationFactor: 3,
      partitions,
      records: null,
    });
    const total = clusterReplicaHealth([topic([partition(-1, 1, 0)]), topic([partition(1, 3, 2)])]);
    assert.deepEqual(total, { offline: 1, underReplicated: 1 });
    assert.equal(describeReplicaHealth(total), '1 offline, 1 under-replicated');
    assert.equal(describeReplicaHealth({ offline: 0, underReplicated: 0 }), '');
  });
});

describe('the tolerant Metadata parse', () => {
  const answer = (topicErrorCode: number, partitionErrorCodes: number[]) => ({
    topicMetadata: [
      {
        topicErrorCode,
        partitionMetadata: partitionErrorCodes.map((code) => ({ partitionErrorCode: code })),
      },
    ],
  });

  it('lets through partitions whose leader or replicas are down', async () => {
    const data = answer(0, [0, 5, 9]);
    assert.equal(await tolerantMetadataParse(data), data);
  });

  it('still throws other partition errors and every topic error', async () => {
    await assert.rejects(tolerantMetadataParse(answer(0, [0, 3])), /does not host this topic-partition/);
    await assert.rejects(tolerantMetadataParse(answer(29, [])), /not authorized/i);
  });
});
