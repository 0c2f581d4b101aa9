import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ConsumerGroupDescribeResponse,
  consumerGroupDescribe,
  decodeConsumerGroupDescribeResponse,
  encodeConsumerGroupDescribeRequest,
  type TopicPartitions,
} from '../../source/kafka/protocol/consumer-group-describe.js';
import { committedTopics } from '../../source/kafka/wire-cluster.js';
import { buildGroup, consumerMembership } from '../../source/monitor/read-cluster.js';
import { fixture, fixtureBytes } from '../helpers/fixtures.js';

/*
 * The .bin fixtures are ConsumerGroupDescribe responses captured from the lab's brokers (the bytes after
 * the correlation id: response header tagged fields, then the body); the .json next to each is what
 * Kafka's own generated classes (ConsumerGroupDescribeResponseData and its JsonConverter, from the
 * broker's kafka-clients jar) decode from the same bytes. The request fixture is the payload Kafka's
 * ConsumerGroupDescribeRequestData serializes, after a request header v2's empty tagged fields.
 */

/** Our decoding in the shape of Kafka's JsonConverter output (assignment as {topicPartitions}). */
function asKafkaJson(response: ConsumerGroupDescribeResponse, version: number): unknown {
  const assignment = (topicPartitions: TopicPartitions[]) => ({ topicPartitions });
  return {
    throttleTimeMs: response.throttleTimeMs,
    groups: response.groups.map((g) => ({
      ...g,
      members: g.members.map(({ memberType, assignment: current, targetAssignment, ...m }) => ({
        ...m,
        assignment: assignment(current),
        targetAssignment: assignment(targetAssignment),
        ...(version >= 1 ? { memberType } : {}),
      })),
    })),
  };
}

function decodesLikeKafka(name: string, version: number): ConsumerGroupDescribeResponse {
  const decoded = decodeConsumerGroupDescribeResponse(fixtureBytes(`${name}.bin`), version);
  const expected = JSON.parse(fixture(`${name}.json`)) as unknown;
  // JSON.parse(JSON.stringify()) puts members' fields in Kafka's order for a readable diff.
  assert.deepEqual(JSON.parse(JSON.stringify(asKafkaJson(decoded, version))), expected);
  return decoded;
}

describe('ConsumerGroupDescribe (API key 69)', () => {
  it('encodes the request byte for byte as Kafka does', () => {
    const { groupIds } = JSON.parse(fixture('bytes-consumer-group-describe-request.json')) as {
      groupIds: string[];
    };
    assert.deepEqual(groupIds, ['fixture848', 'dmm-access-reader', 'no-such-group']);
    assert.deepEqual(
      encodeConsumerGroupDescribeRequest(groupIds),
      fixtureBytes('bytes-consumer-group-describe-request.bin'),
    );
  });

  it('hands kafkajs a request with API key 69 and the same payload', async () => {
    const { request } = consumerGroupDescribe(['g1', 'g2'], 1);
    assert.equal(request.apiKey, 69);
    assert.equal(request.apiVersion, 1);
    const encoder = await request.encode();
    assert.deepEqual(encoder.buffer, encodeConsumerGroupDescribeRequest(['g1', 'g2']));
  });

  it('decodes a version 1 response from Kafka 4.3.1 as Kafka does: members, assignments, errors', () => {
    const { groups } = decodesLikeKafka('bytes-consumer-group-describe-v1', 1);
    const live = groups.find((g) => g.groupId === 'fixture848');
    assert.equal(live?.errorCode, 0);
    assert.equal(live?.groupState, 'Stable');
    assert.equal(live?.members.length, 2);
    const owned = live?.members.flatMap((m) => m.assignment.flatMap((t) => t.partitions)) ?? [];
    assert.deepEqual(
      owned.sort((a, b) => a - b),
      Array.from({ length: 15 }, (_, i) => i),
    );
    assert.ok(live?.members.every((m) => m.memberType === 1));
    const classic = groups.find((g) => g.groupId === 'dmm-access-reader');
    assert.equal(classic?.errorCode, 69);
    assert.match(classic?.errorMessage ?? '', /not a consumer group/);
  });

  it('decodes a version 0 response (no member type) from Kafka 4.3.1 and from Kafka 3.9', () => {
    const v0 = decodesLikeKafka('bytes-consumer-group-describe-v0', 0);
    assert.ok(v0.groups[0]?.members.every((m) => m.memberType === -1));
    const old = decodesLikeKafka('bytes-consumer-group-describe-v0-kafka-3.9', 0);
    // Kafka 3.9 lists API key 69 but its classic coordinator answers UNSUPPORTED_VERSION per group.
    assert.equal(old.groups[0]?.errorCode, 35);
  });

  it('rejects a truncated or garbled response with one line instead of reading past the end', () => {
    const bytes = fixtureBytes('bytes-consumer-group-describe-v1.bin');
    for (const cut of [0, 3, 40, bytes.length - 2]) {
      assert.throws(
        () => decodeConsumerGroupDescribeResponse(bytes.subarray(0, cut), 1),
        (e: unknown) => e instanceof Error && /^ConsumerGroupDescribe response truncated/.test(e.message),
        `cut at ${cut}`,
      );
    }
    // A group count far beyond what the bytes can hold.
    const huge = Buffer.from([0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert.throws(() => decodeConsumerGroupDescribeResponse(huge, 1), /truncated/);
  });
});

describe('a KIP-848 group read into the snapshot', () => {
  it("takes state, member count and each partition's owner from the members' current assignment", () => {
    const { groups } = decodeConsumerGroupDescribeResponse(
      fixtureBytes('bytes-consumer-group-describe-v1.bin'),
      1,
    );
    const described = groups.find((g) => g.groupId === 'fixture848')!;
    const ends = new Map(Array.from({ length: 15 }, (_, p) => [p, { earliest: 0, latest: 60 }]));
    const group = buildGroup(
      'target',
      'fixture848',
      'consumer',
      consumerMembership(described),
      committedTopics([{ topic: 'apache-logs', partition: 3, offset: 50 }]),
      new Map([['apache-logs', ends]]),
    );
    assert.equal(group.protocol, 'consumer');
    assert.equal(group.state, 'Stable');
    assert.equal(group.members, 2);
    // Every owned partition gets a row, committed or not, as kafka-consumer-groups --describe prints them.
    assert.equal(group.partitions.length, 15);
    assert.equal(group.totalLag, 10);
    const owner = (p: number) => group.partitions.rows().find((row) => row.partition === p)?.owner;
    assert.deepEqual(owner(3), {
      memberId: 'HARmwWo8TRaeo34MeupL4g',
      clientId: 'indexer-a',
      host: '/127.0.0.1',
    });
    assert.deepEqual(owner(14), {
      memberId: 'VM9l5l3dR0OkSCELE86_Cg',
      clientId: 'console-consumer',
      host: '/127.0.0.1',
    });
  });
});
