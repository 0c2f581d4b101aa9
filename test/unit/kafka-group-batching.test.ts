import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { debugLine, formatRequestsByApi } from '../../source/cli/snapshot-once.js';
import {
  decodeFindCoordinatorResponse,
  encodeFindCoordinatorRequest,
  findGroupCoordinators,
} from '../../source/kafka/protocol/find-coordinator.js';
import { FlexibleReader } from '../../source/kafka/protocol/flexible.js';
import {
  decodeOffsetFetchResponse,
  encodeOffsetFetchRequest,
  OffsetFetchGroupCache,
  type OffsetFetchResponse,
  offsetFetchGroups,
} from '../../source/kafka/protocol/offset-fetch.js';
import { committedTopics, fetchedOffsets } from '../../source/kafka/wire-cluster.js';
import type { Snapshot } from '../../source/monitor/snapshot.js';
import { fixture, fixtureBytes } from '../helpers/fixtures.js';

/*
 * The response .bin fixtures are OffsetFetch (versions 8 and 9) and FindCoordinator (version 4)
 * answers captured from the lab's brokers (Kafka 3.9.2 source, 4.3.1 target, single broker, and
 * `lab up --brokers 3` for the NOT_COORDINATOR answers; the bytes after the
 * correlation id: response header tagged fields, then the body). The .json next to each is what
 * Kafka's own generated classes (OffsetFetchResponseData, FindCoordinatorResponseData and their
 * JsonConverters, from that broker's kafka-clients jar) decode from the same bytes. The request
 * fixtures are what Kafka's OffsetFetchRequestData / FindCoordinatorRequestData serialize (topics null:
 * all topics; version 9 with member id null and epoch -1, Kafka's defaults), after a request header
 * v2's empty tagged fields.
 */

function kafkaJson(name: string): unknown {
  return JSON.parse(fixture(name)) as unknown;
}

interface KafkaOffsetFetchJson {
  throttleTimeMs: number;
  groups: Array<{
    groupId: string;
    errorCode: number;
    topics: Array<{
      name: string;
      partitions: Array<{ partitionIndex: number; committedOffset: number; errorCode: number }>;
    }>;
  }>;
}

/**
 * What Kafka's JsonConverter decoded, in our compact form: the fields mirrorwatch keeps (leader epoch
 * and metadata are skipped), partitions and offsets side by side.
 */
function kafkaAsCompact(json: KafkaOffsetFetchJson): unknown {
  return {
    throttleTimeMs: json.throttleTimeMs,
    groups: json.groups.map((g) => ({
      groupId: g.groupId,
      errorCode: g.errorCode,
      partitionErrorCode:
        g.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== 0)?.errorCode ?? 0,
      topics: g.topics.map((t) => ({
        topic: t.name,
        partitions: [...t.partitions.map((p) => p.partitionIndex)],
        offsets: [...t.partitions.map((p) => p.committedOffset)],
      })),
    })),
  };
}

function plain(response: OffsetFetchResponse): unknown {
  return {
    ...response,
    groups: response.groups.map((g) => ({
      ...g,
      topics: g.topics.map((t) => ({ ...t, partitions: [...t.partitions], offsets: [...t.offsets] })),
    })),
  };
}

function decodesLikeKafka(name: string): OffsetFetchResponse {
  const decoded = decodeOffsetFetchResponse(fixtureBytes(`${name}.bin`));
  assert.deepEqual(plain(decoded), kafkaAsCompact(kafkaJson(`${name}.json`) as KafkaOffsetFetchJson));
  return decoded;
}

/**
 * Where the entry of `partition` at `offset` starts in `bytes`: partition_index, committed_offset,
 * committed_leader_epoch -1, metadata "", error_code 0.
 */
function entryAt(bytes: Buffer, partition: number, offset: number): number {
  const entry = Buffer.alloc(4 + 8 + 4 + 1 + 2);
  entry.writeInt32BE(partition, 0);
  entry.writeBigInt64BE(BigInt(offset), 4);
  entry.writeInt32BE(-1, 12);
  entry.writeUInt8(1, 16);
  const at = bytes.indexOf(entry);
  assert.ok(at >= 0 && bytes.indexOf(entry, at + 1) < 0, 'the partition entry is found once');
  return at;
}

/** `name`'s bytes with the error code of the partition that answers `partition` at `offset` replaced. */
function withPartitionError(name: string, partition: number, offset: number, errorCode: number): Buffer {
  const bytes = Buffer.from(fixtureBytes(`${name}.bin`));
  bytes.writeInt16BE(errorCode, entryAt(bytes, partition, offset) + 17);
  return bytes;
}

/** `bytes` with the committed metadata of the entry at `at` (empty in the fixtures) set to `metadata`. */
function withMetadata(bytes: Buffer, at: number, metadata: string): Buffer {
  const length = metadata.length + 1;
  const varint = length < 0x80 ? [length] : [(length & 0x7f) | 0x80, length >> 7];
  return Buffer.concat([
    bytes.subarray(0, at + 16),
    Buffer.from(varint),
    Buffer.from(metadata),
    bytes.subarray(at + 17),
  ]);
}

describe('OffsetFetch for many groups (API key 9, versions 8 and 9)', () => {
  for (const version of [8, 9]) {
    it(`encodes a version ${version} request byte for byte as Kafka does`, async () => {
      const { groupIds } = kafkaJson(`bytes-offset-fetch-request-v${version}.json`) as { groupIds: string[] };
      const expected = fixtureBytes(`bytes-offset-fetch-request-v${version}.bin`);
      assert.deepEqual(encodeOffsetFetchRequest(groupIds, version), expected);
      const { request } = offsetFetchGroups(groupIds, version);
      assert.equal(request.apiKey, 9);
      assert.equal(request.apiVersion, version);
      assert.equal(request.apiName, 'OffsetFetch');
      assert.deepEqual((await request.encode()).buffer, expected);
    });
  }

  it('hands back the last answer’s group object where the group’s answer did not change, and only there', () => {
    const payload = fixtureBytes('bytes-offset-fetch-v9.bin');
    const cache = new OffsetFetchGroupCache();
    const first = decodeOffsetFetchResponse(payload, cache);
    const withOffsets = first.groups.filter((g) => g.topics.some((t) => t.partitions.length > 0));
    assert.ok(first.groups.length >= 2 && withOffsets.length >= 1, 'the fixture has groups with offsets');
    const again = decodeOffsetFetchResponse(Buffer.from(payload), cache);
    for (const [i, g] of again.groups.entries()) assert.equal(g, first.groups[i]);
    // One committed offset of the first group with offsets moves by one: that group alone is new.
    const target = withOffsets[0]!;
    const moved = Buffer.from(payload);
    const name = Buffer.from(target.groupId);
    const at = moved.indexOf(Buffer.concat([Buffer.from([name.length + 1]), name]));
    const topic = Buffer.from(target.topics[0]!.topic);
    const topicAt = moved.indexOf(topic, at);
    // topic name, partitions count (one varint byte), partition index, then the offset.
    const offsetAt = topicAt + topic.length + 1 + 4;
    moved.writeUInt32BE(moved.readUInt32BE(offsetAt + 4) + 1, offsetAt + 4);
    const third = decodeOffsetFetchResponse(moved, cache);
    third.groups.forEach((g, i) => {
      if (g.groupId === target.groupId) {
        assert.notEqual(g, first.groups[i]);
        assert.equal(g.topics[0]!.offsets[0], (target.topics[0]!.offsets[0] as number) + 1);
      } else assert.equal(g, first.groups[i]);
    });
    assert.deepEqual(decodeOffsetFetchResponse(payload), first, 'the same answer without a cache');
  });

  it('compares an answer with the group it decoded to: what is not read does not count, an error does', () => {
    const payload = fixtureBytes('bytes-offset-fetch-v8-kafka-4.3.bin');
    const cache = new OffsetFetchGroupCache();
    const first = decodeOffsetFetchResponse(payload, cache);
    const at = entryAt(payload, 3, 42); // group a's partition 3
    const same = (answer: OffsetFetchResponse) => answer.groups.map((g, i) => g === first.groups[i]);
    const all = first.groups.map(() => true);
    const allButA = first.groups.map((_, i) => i !== 0);

    // The leader epoch and the metadata are not read: the same objects.
    const epoch = Buffer.from(payload);
    epoch.writeInt32BE(7, at + 12);
    assert.deepEqual(same(decodeOffsetFetchResponse(epoch, cache)), all);
    assert.deepEqual(same(decodeOffsetFetchResponse(withMetadata(payload, at, 'x'.repeat(126)), cache)), all);
    // Metadata of more than 126 bytes is decoded again, to what the group was.
    const long = decodeOffsetFetchResponse(withMetadata(payload, at, 'x'.repeat(200)), cache);
    assert.deepEqual(same(long), allButA);
    assert.deepEqual(long, first);

    // An error on one partition: group a is new, with the error.
    const unstable = decodeOffsetFetchResponse(
      withPartitionError('bytes-offset-fetch-v8-kafka-4.3', 3, 42, 88),
      cache,
    );
    assert.deepEqual(same(unstable), allButA);
    assert.equal(unstable.groups[0]?.partitionErrorCode, 88);
    assert.deepEqual(same(decodeOffsetFetchResponse(payload, cache)), allButA, 'and new again without it');

    // A truncated answer is refused as without the objects kept.
    for (const cut of [at + 10, at + 19, payload.length - 1])
      assert.throws(
        () => decodeOffsetFetchResponse(payload.subarray(0, cut), cache),
        /^Error: OffsetFetch response truncated/,
      );
  });

  it('encodes lengths past one varint byte as kafkajs encoder does: 300 groups, names of 200 bytes', () => {
    const require = createRequire(import.meta.url);
    const Encoder = require('kafkajs/src/protocol/encoder') as new () => {
      writeUVarInt(n: number): unknown;
      writeUVarIntString(s: string | null): unknown;
      writeInt32(n: number): unknown;
      writeInt8(n: number): unknown;
      buffer: Buffer;
    };
    const groupIds = Array.from({ length: 300 }, (_, i) => `g${i}-${'é'.repeat(i % 2 === 0 ? 100 : 3)}`);
    for (const version of [8, 9]) {
      const e = new Encoder();
      e.writeUVarInt(0);
      e.writeUVarInt(groupIds.length + 1);
      for (const groupId of groupIds) {
        e.writeUVarIntString(groupId);
        if (version >= 9) {
          e.writeUVarIntString(null);
          e.writeInt32(-1);
        }
        e.writeUVarInt(0);
        e.writeUVarInt(0);
      }
      e.writeInt8(1);
      e.writeUVarInt(0);
      assert.deepEqual(encodeOffsetFetchRequest(groupIds, version, true), e.buffer);
    }
  });

  it('decodes version 8 answers of Kafka 4.3.1 and 3.9.2 as Kafka does: several groups, none committed', () => {
    for (const name of ['bytes-offset-fetch-v8-kafka-4.3', 'bytes-offset-fetch-v8-kafka-3.9']) {
      const { groups } = decodesLikeKafka(name);
      assert.deepEqual(
        groups.map((g) => g.groupId),
        ['fixture-offsets-a', 'fixture-offsets-b', 'no-such-group'],
      );
      const a = groups[0]!;
      const offsets = a.topics.flatMap((t) =>
        [...t.partitions].map((p, i) => `${t.topic}-${p}@${t.offsets[i]}`),
      );
      assert.deepEqual(offsets.sort(), ['scale-001-0@17', 'scale-001-3@42', 'scale-002-1@5']);
      // A group that committed nothing answers no topics and no error.
      assert.deepEqual(groups[2], {
        groupId: 'no-such-group',
        topics: [],
        errorCode: 0,
        partitionErrorCode: 0,
      });
    }
  });

  it('decodes an answer of a broker that coordinates only some of the groups: NOT_COORDINATOR per group', () => {
    // Sent to one broker of the 3-broker lab for groups it does not all coordinate.
    const target = decodesLikeKafka('bytes-offset-fetch-v8-not-coordinator-kafka-4.3');
    assert.deepEqual(
      target.groups.map((g) => [g.groupId, g.errorCode]),
      [
        ['fixture-offsets-a', 0],
        ['fixture-offsets-b', 16],
        ['fixture-offsets-c', 0],
      ],
    );
    assert.deepEqual(target.groups[1]?.topics, []);
    assert.equal(fetchedOffsets(target.groups[1]!), null, 'left to the per-group path');
    assert.deepEqual(
      fetchedOffsets(target.groups[2]!)
        ?.flatMap((t) => [...t.partitions].map((p, i) => `${p}@${t.offsets[i]}`))
        .sort(),
      ['0@30', '2@31'],
    );
    const source = decodesLikeKafka('bytes-offset-fetch-v8-not-coordinator-kafka-3.9');
    assert.deepEqual(
      source.groups.map((g) => g.errorCode),
      [0, 16, 16],
    );
  });

  it('decodes a version 9 answer as Kafka does', () => {
    const { groups } = decodesLikeKafka('bytes-offset-fetch-v9');
    assert.equal(groups.length, 3);
    assert.equal(groups[1]?.topics[0]?.offsets[0], 99);
  });

  it('turns a group answer into committed offsets, and refuses one with an error for the per-group path', () => {
    const { groups } = decodeOffsetFetchResponse(fixtureBytes('bytes-offset-fetch-v8-kafka-4.3.bin'));
    assert.deepEqual(
      fetchedOffsets(groups[1]!)?.map((t) => [t.topic, [...t.partitions], [...t.offsets]]),
      [['scale-002', [0], [99]]],
    );
    assert.deepEqual(fetchedOffsets(groups[2]!), []);
    assert.equal(fetchedOffsets({ ...groups[0]!, errorCode: 16 }), null);
    // UNSTABLE_OFFSET_COMMIT (88) on one partition of group a: the group goes the per-group way.
    const unstable = decodeOffsetFetchResponse(
      withPartitionError('bytes-offset-fetch-v8-kafka-4.3', 3, 42, 88),
    );
    assert.equal(unstable.groups[0]?.partitionErrorCode, 88);
    assert.equal(fetchedOffsets(unstable.groups[0]!), null);
    assert.deepEqual(fetchedOffsets(unstable.groups[1]!), fetchedOffsets(groups[1]!));
  });

  it('keeps rows without a commit as -1, which a group reads as nothing committed', () => {
    const [topic] = committedTopics([
      { topic: 't', partition: 0, offset: 5 },
      { topic: 't', partition: 1, offset: null },
    ]);
    assert.deepEqual([...topic!.offsets], [5, -1]);
  });

  it('rejects a truncated or garbled answer with one line instead of reading past the end', () => {
    const bytes = fixtureBytes('bytes-offset-fetch-v8-kafka-4.3.bin');
    for (const cut of [0, 3, 20, 60, bytes.length - 1]) {
      assert.throws(
        () => decodeOffsetFetchResponse(bytes.subarray(0, cut)),
        (e: unknown) => e instanceof Error && /^OffsetFetch response truncated/.test(e.message),
        `cut at ${cut}`,
      );
    }
    // A group count far beyond what the bytes can hold, and a length varint that never ends.
    assert.throws(
      () => decodeOffsetFetchResponse(Buffer.from([0, 0, 0, 0, 0, 0xff, 0xff, 0x03])),
      /truncated/,
    );
    assert.throws(
      () => decodeOffsetFetchResponse(Buffer.from([0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
      /OffsetFetch response has a malformed length/,
    );
  });
});

describe('FindCoordinator for many groups (API key 10, version 4)', () => {
  it('encodes the request byte for byte as Kafka does', async () => {
    const { groupIds } = kafkaJson('bytes-find-coordinator-request.json') as { groupIds: string[] };
    const expected = fixtureBytes('bytes-find-coordinator-request.bin');
    assert.deepEqual(encodeFindCoordinatorRequest(groupIds), expected);
    const { request } = findGroupCoordinators(groupIds, 4);
    assert.equal(request.apiKey, 10);
    assert.equal(request.apiName, 'FindCoordinator');
    assert.deepEqual((await request.encode()).buffer, expected);
  });

  it('decodes an answer from Kafka 4.3.1 as Kafka does: one coordinator per key', () => {
    const decoded = decodeFindCoordinatorResponse(fixtureBytes('bytes-find-coordinator-v4.bin'));
    assert.deepEqual(decoded, kafkaJson('bytes-find-coordinator-v4.json'));
    assert.equal(decoded.coordinators.length, 4);
    assert.ok(decoded.coordinators.every((c) => c.errorCode === 0 && c.nodeId === 1));
  });

  it('rejects a truncated answer', () => {
    const bytes = fixtureBytes('bytes-find-coordinator-v4.bin');
    for (const cut of [0, 5, 30, bytes.length - 1])
      assert.throws(
        () => decodeFindCoordinatorResponse(bytes.subarray(0, cut)),
        /FindCoordinator response truncated/,
      );
  });
});

describe('--debug request counts', () => {
  it('lists the APIs in the order a cluster read sends them, others after', () => {
    assert.equal(
      formatRequestsByApi({ OffsetFetch: 1, Fetch: 3, Metadata: 2, FindCoordinator: 1, ListOffsets: 2 }),
      'Metadata 2, ListOffsets 2, FindCoordinator 1, OffsetFetch 1, Fetch 3',
    );
  });

  it('prints the total line, then one line per Kafka source with its requests per API', () => {
    const health = (name: string, requests: number, requestsByApi?: Record<string, number>) => ({
      name,
      label: name,
      configured: true,
      ok: true,
      lastSuccessMs: 0,
      lastError: null,
      lastErrorMs: null,
      requests,
      durationMs: 1,
      ...(requestsByApi ? { requestsByApi } : {}),
    });
    const snapshot = {
      seq: 2,
      requests: 6,
      refreshMs: 12,
      health: {
        source: health('source', 5, { Metadata: 1, ListOffsets: 2, ListGroups: 1, OffsetFetch: 1 }),
        metrics: health('metrics', 1),
      },
    } as unknown as Snapshot;
    assert.equal(
      debugLine(snapshot),
      'debug: refresh #2: 6 requests (source 5, metrics 1) in 12 ms\n' +
        'debug:   source 5: Metadata 1, ListOffsets 2, ListGroups 1, OffsetFetch 1\n',
    );
  });
});

describe('int64 read as a number', () => {
  it('is exact for -1, zero and offsets past 32 bits, as BigInt reads them', () => {
    for (const value of [-1n, 0n, 5n, 4_294_967_296n + 7n, 2n ** 52n + 3n, -(2n ** 40n)]) {
      const bytes = Buffer.alloc(8);
      bytes.writeBigInt64BE(value);
      const reader = new FlexibleReader(bytes, 'test');
      assert.equal(reader.int64Number('offset'), Number(value));
    }
  });
});
