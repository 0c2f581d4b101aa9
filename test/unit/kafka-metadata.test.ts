import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import {
  decodeMetadataResponse,
  encodeMetadataRequest,
  type MetadataResponse,
  type MetadataTopicCache,
} from '../../source/kafka/protocol/metadata.js';
import { fixture, fixtureBytes } from '../helpers/fixtures.js';

/*
 * The .bin fixtures are Metadata answers of the lab's brokers (Kafka 3.9.2 source, 4.3.1 target) to a
 * request for customers, txn-orders and __consumer_offsets, the bytes after the correlation id. The
 * .kcat.json next to them is what kcat -L -J printed for the same topics of the same broker.
 */

interface KcatMetadata {
  brokers: Array<{ nodeId: number; endpoint: string }>;
  controllerId: number;
  topics: Array<{
    topic: string;
    partitions: Array<{
      partition: number;
      leader: number;
      replicas: readonly number[];
      isrs: readonly number[];
    }>;
  }>;
}

function asKcat(decoded: MetadataResponse): KcatMetadata {
  return {
    brokers: decoded.brokers.map((b) => ({ nodeId: b.nodeId, endpoint: `${b.host}:${b.port}` })),
    controllerId: decoded.controllerId,
    topics: decoded.topicMetadata
      .map((t) => ({
        topic: t.topic,
        partitions: t.partitionMetadata
          .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isrs: p.isr }))
          .sort((a, b) => a.partition - b.partition),
      }))
      .sort((a, b) => (a.topic < b.topic ? -1 : 1)),
  };
}

const ANSWERS = [
  { bin: 'bytes-metadata-v5-kafka-3.9.bin', version: 5, kcat: 'bytes-metadata-kafka-3.9.kcat.json' },
  { bin: 'bytes-metadata-v8-kafka-3.9.bin', version: 8, kcat: 'bytes-metadata-kafka-3.9.kcat.json' },
  { bin: 'bytes-metadata-v8-kafka-4.3.bin', version: 8, kcat: 'bytes-metadata-kafka-4.3.kcat.json' },
];

describe('Metadata for every topic (API key 3, versions 4 to 8)', () => {
  it('encodes a request for every topic without automatic creation', () => {
    assert.deepEqual(encodeMetadataRequest(5), Buffer.from([0xff, 0xff, 0xff, 0xff, 0]));
    assert.deepEqual(encodeMetadataRequest(8), Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0]));
  });

  for (const { bin, version, kcat } of ANSWERS) {
    it(`decodes ${bin} as kcat reads the same broker`, () => {
      const decoded = decodeMetadataResponse(fixtureBytes(bin), version);
      assert.deepEqual(asKcat(decoded), JSON.parse(fixture(kcat)));
      const offsets = decoded.topicMetadata.find((t) => t.topic === '__consumer_offsets');
      assert.equal(offsets?.isInternal, true);
      assert.equal(decoded.topicMetadata.find((t) => t.topic === 'customers')?.isInternal, false);
    });
  }

  it('decodes version 5 exactly as kafkajs does', () => {
    const require = createRequire(import.meta.url);
    const kafkajs = require('kafkajs/src/protocol/requests/metadata/v5/response') as {
      decode: (payload: Buffer) => Promise<Record<string, unknown>>;
    };
    const payload = fixtureBytes('bytes-metadata-v5-kafka-3.9.bin');
    return kafkajs.decode(payload).then((theirs) => {
      const ours = decodeMetadataResponse(payload, 5);
      assert.deepEqual(
        {
          throttleTime: ours.throttleTimeMs,
          brokers: ours.brokers,
          clusterId: ours.clusterId,
          controllerId: ours.controllerId,
          topicMetadata: ours.topicMetadata,
        },
        theirs,
      );
    });
  });

  it('hands back the last answer’s topic objects where the bytes did not change, and only there', () => {
    const payload = fixtureBytes('bytes-metadata-v8-kafka-4.3.bin');
    const cache: MetadataTopicCache = new Map();
    const first = decodeMetadataResponse(payload, 8, cache);
    const second = decodeMetadataResponse(Buffer.from(payload), 8, cache);
    assert.equal(second.topicMetadata.length, 3);
    for (const [i, t] of second.topicMetadata.entries()) assert.equal(t, first.topicMetadata[i]);

    // One in-sync replica of customers' partition 2 becomes broker 7: that topic alone is new.
    const changed = Buffer.from(payload);
    const name = Buffer.from('customers');
    const at = changed.indexOf(name);
    const topicStart = at - 4; // error code, name length
    let isrAt = -1;
    // Partition 2's entry: error code, index 2, leader, epoch, replicas [n], isr [n] ...
    for (let i = at; i < changed.length - 8; i++)
      if (changed.readInt32BE(i) === 2 && changed.readInt16BE(i - 2) === 0) {
        isrAt = i + 4 + 4 + 4 + 4 + 4 * changed.readInt32BE(i + 12) + 4;
        break;
      }
    assert.ok(topicStart > 0 && isrAt > at);
    changed.writeInt32BE(7, isrAt);
    const third = decodeMetadataResponse(changed, 8, cache);
    const customers = third.topicMetadata.find((t) => t.topic === 'customers');
    assert.notEqual(
      customers,
      first.topicMetadata.find((t) => t.topic === 'customers'),
    );
    assert.deepEqual(customers?.partitionMetadata[2]?.isr, [7]);
    for (const t of third.topicMetadata)
      if (t.topic !== 'customers')
        assert.equal(
          t,
          first.topicMetadata.find((f) => f.topic === t.topic),
        );
  });

  it('shares one frozen array among partitions with the same broker list, even across answers', () => {
    const payload = fixtureBytes('bytes-metadata-v8-kafka-4.3.bin');
    const partitions = (bytes: Buffer) =>
      decodeMetadataResponse(bytes, 8, new Map()).topicMetadata.flatMap((t) => t.partitionMetadata);
    const first = partitions(payload);
    const second = partitions(Buffer.from(payload)); // no cache: every topic decoded again
    const byList = new Map<string, readonly number[]>();
    for (const p of [...first, ...second])
      for (const list of [p.replicas, p.isr, p.offlineReplicas]) {
        assert.ok(Object.isFrozen(list));
        const key = list.join(',');
        const shared = byList.get(key);
        if (shared) assert.equal(list, shared, `[${key}] decoded into a second array`);
        else byList.set(key, list);
      }
    assert.ok(first.length > byList.size, `${first.length} partitions, ${byList.size} lists`);
    const partition = first[0];
    assert.ok(partition);
    assert.throws(() => (partition.replicas as number[]).push(9), TypeError);
  });

  it('forgets topics the answer no longer lists', () => {
    const cache: MetadataTopicCache = new Map([
      [
        'deleted-topic',
        {
          bytes: Buffer.alloc(9),
          topic: { topicErrorCode: 0, topic: 'deleted-topic', isInternal: false, partitionMetadata: [] },
        },
      ],
    ]);
    decodeMetadataResponse(fixtureBytes('bytes-metadata-v8-kafka-4.3.bin'), 8, cache);
    assert.deepEqual([...cache.keys()].sort(), ['__consumer_offsets', 'customers', 'txn-orders']);
  });

  it('refuses an answer cut short at any byte with a one-line error', () => {
    const payload = fixtureBytes('bytes-metadata-v8-kafka-3.9.bin');
    for (let length = 0; length < payload.length; length++) {
      assert.throws(
        () => decodeMetadataResponse(payload.subarray(0, length), 8, new Map()),
        /^Error: Metadata response (truncated reading [a-z_ ]+|has a bad [a-z_ ]+ count)$/,
        `cut at ${length}`,
      );
    }
  });
});
