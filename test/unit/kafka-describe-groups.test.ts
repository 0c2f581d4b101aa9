import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import {
  type DescribeGroupsCache,
  type DescribeGroupsResponse,
  decodeDescribeGroupsResponse,
  describeGroupsRequest,
  encodeDescribeGroupsRequest,
} from '../../source/kafka/protocol/describe-groups.js';
import { classicMembership } from '../../source/monitor/read-cluster.js';
import { fixture, fixtureBytes } from '../helpers/fixtures.js';

/*
 * The response .bin fixtures are DescribeGroups answers captured from the lab's brokers (Kafka 3.9.2
 * source, 4.3.1 target; the bytes after the correlation id) for a group with two live kcat members
 * (`kcat -G`), a group without members that has committed offsets, and a group that does not exist.
 * The .json next to each is what Kafka's own generated classes (DescribeGroupsResponseData and its
 * JsonConverter, from that broker's kafka-clients jar) decode from the same bytes. The request fixtures
 * are what Kafka's DescribeGroupsRequestData serializes for the same group ids.
 */

interface KafkaJson {
  throttleTimeMs: number;
  groups: Array<{
    errorCode: number;
    groupId: string;
    groupState: string;
    protocolType: string;
    protocolData: string;
    members: Array<{ memberId: string; clientId: string; clientHost: string; memberAssignment: string }>;
  }>;
}

/** Kafka's decoding in our shape: the fields mirrorwatch keeps (assignment bytes from base64). */
function fromKafka(json: KafkaJson): DescribeGroupsResponse {
  return {
    throttleTimeMs: json.throttleTimeMs,
    groups: json.groups.map((g) => ({
      errorCode: g.errorCode,
      groupId: g.groupId,
      state: g.groupState,
      protocolType: g.protocolType,
      protocol: g.protocolData,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberAssignment: Buffer.from(m.memberAssignment, 'base64'),
      })),
    })),
  };
}

const FIXTURES = [
  { name: 'bytes-describe-groups-v1-kafka-3.9', version: 1 },
  { name: 'bytes-describe-groups-v4-kafka-3.9', version: 4 },
  { name: 'bytes-describe-groups-v4-kafka-4.3', version: 4 },
];

const GROUPS = ['fixture-live', 'fixture-idle', 'fixture-none'];

describe('DescribeGroups (API key 15)', () => {
  it('encodes the request byte for byte as Kafka does', () => {
    for (const version of [1, 4]) {
      const json = JSON.parse(fixture(`bytes-describe-groups-request-v${version}.json`)) as {
        groups: string[];
      };
      assert.deepEqual(json.groups, GROUPS);
      assert.deepEqual(
        encodeDescribeGroupsRequest(GROUPS, version),
        fixtureBytes(`bytes-describe-groups-request-v${version}.bin`),
        `version ${version}`,
      );
    }
  });

  it('hands kafkajs a request with API key 15 and the same payload', async () => {
    const { request } = describeGroupsRequest(GROUPS, 4, new Map());
    assert.equal(request.apiKey, 15);
    assert.equal(request.apiVersion, 4);
    assert.deepEqual((await request.encode()).buffer, encodeDescribeGroupsRequest(GROUPS, 4));
  });

  for (const { name, version } of FIXTURES)
    it(`decodes what the broker answered as Kafka does: ${name}`, () => {
      const decoded = decodeDescribeGroupsResponse(fixtureBytes(`${name}.bin`), version);
      assert.deepEqual(decoded, fromKafka(JSON.parse(fixture(`${name}.json`)) as KafkaJson));
      const live = decoded.groups.find((g) => g.groupId === 'fixture-live');
      assert.equal(live?.state, 'Stable');
      assert.equal(live?.members.length, 2);
      // What `kafka-consumer-groups --describe --members --verbose` showed for these members when
      // captured: fixture-a fixture-dg:0,1 and fixture-b fixture-dg:2,3 (the range assignor).
      const owned = classicMembership(live!).members.map(
        (m) => `${m.clientId} ${m.assignment.map((a) => `${a.topic}:${a.partitions.join(',')}`).join(' ')}`,
      );
      assert.deepEqual(owned.sort(), ['fixture-a fixture-dg:0,1', 'fixture-b fixture-dg:2,3']);
      assert.equal(decoded.groups.find((g) => g.groupId === 'fixture-idle')?.state, 'Empty');
    });

  it('decodes version 1 as kafkajs does', () => {
    const require = createRequire(import.meta.url);
    const kafkajs = require('kafkajs/src/protocol/requests/describeGroups/v1/response') as {
      decode: (buffer: Buffer) => Promise<{ throttleTime: number; groups: Array<Record<string, unknown>> }>;
    };
    const bytes = fixtureBytes('bytes-describe-groups-v1-kafka-3.9.bin');
    return kafkajs.decode(bytes).then((theirs) => {
      const ours = decodeDescribeGroupsResponse(bytes, 1);
      assert.equal(ours.groups.length, theirs.groups.length);
      ours.groups.forEach((g, i) => {
        const { members, ...rest } = theirs.groups[i] as {
          members: Array<{
            memberId: string;
            clientId: string;
            clientHost: string;
            memberAssignment: Buffer;
          }>;
        };
        assert.deepEqual(
          { ...g, members: g.members.map((m) => ({ ...m })) },
          {
            ...rest,
            members: members.map(({ memberId, clientId, clientHost, memberAssignment }) => ({
              memberId,
              clientId,
              clientHost,
              memberAssignment,
            })),
          },
        );
      });
    });
  });

  it('hands back the last answer’s object for a group whose bytes did not change', () => {
    const bytes = fixtureBytes('bytes-describe-groups-v4-kafka-4.3.bin');
    const cache: DescribeGroupsCache = new Map();
    const first = decodeDescribeGroupsResponse(bytes, 4, cache);
    const again = decodeDescribeGroupsResponse(Buffer.from(bytes), 4, cache);
    assert.deepEqual(again, first);
    for (const [i, g] of again.groups.entries()) assert.equal(g, first.groups[i], g.groupId);
    // One byte of the live group's first client host changed: that group is decoded again, the others kept.
    const changed = Buffer.from(bytes);
    const host = changed.indexOf('/127.0.0.1');
    assert.ok(host > 0);
    changed[host + 1] = '2'.charCodeAt(0);
    const third = decodeDescribeGroupsResponse(changed, 4, cache);
    for (const g of third.groups) {
      const before = first.groups.find((f) => f.groupId === g.groupId);
      if (g.groupId === 'fixture-live') {
        assert.notEqual(g, before);
        assert.ok(g.members.some((m) => m.clientHost === '/227.0.0.1'));
      } else assert.equal(g, before, g.groupId);
    }
  });

  it('refuses an answer cut short at any byte with one line naming the field', () => {
    const bytes = fixtureBytes('bytes-describe-groups-v4-kafka-3.9.bin');
    for (let length = 0; length < bytes.length; length++)
      assert.throws(
        () => decodeDescribeGroupsResponse(bytes.subarray(0, length), 4),
        (error: Error) =>
          /^DescribeGroups response (truncated reading|has a bad|has a null) [a-z_ ]+$/.test(error.message),
        `cut at ${length} of ${bytes.length}`,
      );
  });
});
