import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import {
  decodeListOffsetsResponse,
  EARLIEST_TIMESTAMP,
  encodeListOffsetsRequest,
  LATEST_TIMESTAMP,
  listOffsets,
} from '../../source/kafka/protocol/list-offsets.js';

const require = createRequire(import.meta.url);
type KafkajsRequest = (args: {
  replicaId: number;
  isolationLevel: number;
  topics: Array<{ topic: string; partitions: Array<{ partition: number; timestamp: number }> }>;
}) => { encode: () => Promise<{ buffer: Buffer }> };
const kafkajsV2 = require('kafkajs/src/protocol/requests/listOffsets/v2/request') as KafkajsRequest;

/** A version 2/3 answer as a broker writes it. */
function answer(topics: Array<[string, Array<[number, number, bigint]>]>): Buffer {
  const parts: Buffer[] = [];
  const int = (bytes: number, write: (b: Buffer) => void) => {
    const b = Buffer.alloc(bytes);
    write(b);
    parts.push(b);
  };
  int(4, (b) => b.writeInt32BE(0));
  int(4, (b) => b.writeInt32BE(topics.length));
  for (const [name, partitions] of topics) {
    int(2, (b) => b.writeInt16BE(Buffer.byteLength(name)));
    parts.push(Buffer.from(name));
    int(4, (b) => b.writeInt32BE(partitions.length));
    for (const [partition, errorCode, offset] of partitions) {
      int(4, (b) => b.writeInt32BE(partition));
      int(2, (b) => b.writeInt16BE(errorCode));
      int(8, (b) => b.writeBigInt64BE(-1n));
      int(8, (b) => b.writeBigInt64BE(offset));
    }
  }
  return Buffer.concat(parts);
}

describe('ListOffsets (API key 2, versions 2 and 3) in one buffer', () => {
  const topics = [
    { topic: 'orders', partitions: [0, 1, 2] },
    { topic: 'zahlungen-ü', partitions: [7] },
  ];

  for (const timestamp of [EARLIEST_TIMESTAMP, LATEST_TIMESTAMP])
    it(`encodes a request (timestamp ${timestamp}) byte for byte as kafkajs does`, async () => {
      const expected = await kafkajsV2({
        replicaId: -1,
        isolationLevel: 0,
        topics: topics.map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((partition) => ({ partition, timestamp })),
        })),
      }).encode();
      assert.deepEqual(encodeListOffsetsRequest(topics, timestamp, 0), expected.buffer);
      const { request } = listOffsets(topics, timestamp, 0, 3);
      assert.equal(request.apiKey, 2);
      assert.equal(request.apiVersion, 3);
      assert.deepEqual((await request.encode()).buffer, expected.buffer);
    });

  it('decodes offsets, past 32 bits too, and keeps partition errors in the answer', () => {
    const decoded = decodeListOffsetsResponse(
      answer([
        [
          'orders',
          [
            [0, 0, 42n],
            [1, 0, 4_294_967_296n * 3n + 11n],
            [2, 6, -1n],
          ],
        ],
        ['zahlungen-ü', [[7, 0, 0n]]],
      ]),
    );
    assert.equal(decoded.topics.length, 2);
    const [orders, payments] = decoded.topics;
    assert.equal(orders?.topic, 'orders');
    assert.deepEqual([...(orders?.partitions ?? [])], [0, 1, 2]);
    assert.deepEqual([...(orders?.offsets ?? [])], [42, 4_294_967_296 * 3 + 11, -1]);
    assert.deepEqual([...(orders?.errorCodes ?? [])], [0, 0, 6]);
    assert.equal(payments?.topic, 'zahlungen-ü');
  });

  it('refuses a truncated or garbled answer with one line', () => {
    const bytes = answer([['orders', [[0, 0, 42n]]]]);
    for (const cut of [0, 3, 9, 20, bytes.length - 1])
      assert.throws(() => decodeListOffsetsResponse(bytes.subarray(0, cut)), /^Error: ListOffsets response/);
    const garbled = Buffer.from(bytes);
    garbled.writeInt32BE(-5, 4);
    assert.throws(() => decodeListOffsetsResponse(garbled), /bad topics count/);
  });
});
