import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import { registerCompressionCodecs } from '../../source/kafka/codecs.js';
import {
  cutBatchOf,
  type Decompress,
  decodeFetchV11,
  decodeRecordSet,
  nextOffsetOf,
} from '../../source/kafka/record-batches.js';
import { fixture } from '../helpers/fixtures.js';

const require = createRequire(import.meta.url);
const { CompressionCodecs, CompressionTypes } = kafkajs;
registerCompressionCodecs();

const decompress: Decompress = (codec, data) =>
  (CompressionCodecs as Record<number, () => { decompress(b: Buffer): Promise<Buffer> }>)[
    codec
  ]!().decompress(data);

type RecordInput = {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | Buffer[]>;
};
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (r: RecordInput) => unknown;
const { RecordBatch: encodeBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch(options: {
    compression: number;
    firstOffset: unknown;
    firstTimestamp: number;
    maxTimestamp: number;
    lastOffsetDelta: number;
    records: unknown[];
  }): Promise<{ buffer: Buffer }>;
};
const Long = require('kafkajs/src/utils/long') as { fromNumber(n: number): unknown };

const BASE_TIME = Date.UTC(2026, 10, 25, 12, 0, 0);

/** A record batch as kafkajs' producer writes it. */
async function batch(firstOffset: number, records: RecordInput[], compression = 0): Promise<Buffer> {
  const encoded = await encodeBatch({
    compression,
    firstOffset: Long.fromNumber(firstOffset),
    firstTimestamp: BASE_TIME,
    maxTimestamp: BASE_TIME + 1000,
    lastOffsetDelta: records.length - 1,
    records: records.map(encodeRecord),
  });
  return encoded.buffer;
}

const sample: RecordInput[] = [
  { offsetDelta: 0, timestampDelta: 0, key: Buffer.from('k0'), value: Buffer.from('v0') },
  { offsetDelta: 1, timestampDelta: 5, key: null, value: Buffer.from('ü'.repeat(200)) },
  {
    offsetDelta: 2,
    timestampDelta: 3_000_000_000, // beyond 32 bits: a varlong
    key: Buffer.from('k2'),
    value: null,
    headers: { trace: Buffer.from('abc'), dup: [Buffer.from('1'), Buffer.from('2')] },
  },
  { offsetDelta: 3, timestampDelta: 7, key: Buffer.alloc(0), value: Buffer.alloc(0) },
];

describe('record batch decoder', () => {
  for (const [name, type] of Object.entries({
    none: 0,
    gzip: CompressionTypes.GZIP,
    snappy: CompressionTypes.Snappy,
    lz4: CompressionTypes.LZ4,
    zstd: CompressionTypes.ZSTD,
  })) {
    it(`reads offsets, timestamps, keys, values and headers (${name})`, async () => {
      const set = Buffer.concat([await batch(100, sample, type), await batch(104, sample.slice(0, 2), type)]);
      const records = await decodeRecordSet(set, 0, decompress);
      assert.ok(records);
      assert.deepEqual(
        records.map((r) => r.offset),
        [100, 101, 102, 103, 104, 105],
      );
      assert.deepEqual(
        records.slice(0, 4).map((r) => r.timestampMs - BASE_TIME),
        [0, 5, 3_000_000_000, 7],
      );
      assert.deepEqual(records[0]!.key, Buffer.from('k0'));
      assert.equal(records[1]!.key, null);
      assert.equal(records[1]!.value?.toString('utf8'), 'ü'.repeat(200));
      assert.equal(records[2]!.value, null);
      assert.deepEqual(records[2]!.headers, {
        trace: Buffer.from('abc'),
        dup: [Buffer.from('1'), Buffer.from('2')],
      });
      assert.deepEqual(records[0]!.headers, {});
      assert.deepEqual(records[3]!.key, Buffer.alloc(0));
      assert.deepEqual(records[3]!.value, Buffer.alloc(0));
    });
  }

  it('reads offsets past 2^32 exactly, and a set that mixes plain and compressed batches in order', async () => {
    const high = 2 ** 40 + 5;
    const set = Buffer.concat([
      await batch(high, sample.slice(0, 2)),
      await batch(high + 2, sample.slice(0, 2), CompressionTypes.LZ4),
      await batch(high + 4, sample.slice(0, 1)),
    ]);
    const records = await decodeRecordSet(set, high + 1, decompress);
    assert.deepEqual(
      records?.map((r) => r.offset),
      [high + 1, high + 2, high + 3, high + 4],
    );
    assert.equal(nextOffsetOf(set), high + 5);
  });

  it('drops records before the asked offset and ignores a batch cut by the fetch size', async () => {
    const first = await batch(10, sample);
    const second = await batch(14, sample);
    const set = Buffer.concat([first, second.subarray(0, second.length - 5)]);
    const records = await decodeRecordSet(set, 12, decompress);
    assert.deepEqual(
      records?.map((r) => r.offset),
      [12, 13],
    );
    assert.equal(nextOffsetOf(set), 14);
  });

  it('tells the batch a set was cut inside from its header: offsets and newest timestamp', async () => {
    const first = await batch(10, sample);
    const second = await batch(2 ** 33, sample, CompressionTypes.LZ4);
    assert.deepEqual(cutBatchOf(Buffer.concat([first, second.subarray(0, 61)])), {
      baseOffset: 2 ** 33,
      lastOffset: 2 ** 33 + sample.length - 1,
      maxTimestampMs: BASE_TIME + 1000,
    });
    // Whole batches, or a cut before the header is complete: nothing to tell.
    assert.equal(cutBatchOf(Buffer.concat([first, second])), null);
    assert.equal(cutBatchOf(Buffer.concat([first, second.subarray(0, 60)])), null);
    assert.equal(cutBatchOf(Buffer.alloc(0)), null);
  });

  it('skips control batches (transaction markers)', async () => {
    const control = await batch(20, [
      { offsetDelta: 0, timestampDelta: 0, key: Buffer.from([0, 0, 0, 0]), value: null },
    ]);
    control.writeInt16BE(control.readInt16BE(21) | 0x20, 21); // the control flag; the CRC is not checked
    const set = Buffer.concat([
      await batch(18, sample.slice(0, 2)),
      control,
      await batch(21, sample.slice(0, 1)),
    ]);
    assert.deepEqual(
      (await decodeRecordSet(set, 0, decompress))?.map((r) => r.offset),
      [18, 19, 21],
    );
  });

  it('answers null for a pre-0.11 message set, left to kafkajs', async () => {
    const set = await batch(0, sample);
    set.writeInt8(1, 16);
    assert.equal(await decodeRecordSet(set, 0, decompress), null);
  });

  it('fails on a corrupt record instead of inventing one', async () => {
    const set = await batch(0, sample);
    set.writeInt32BE(set.readInt32BE(57) + 3, 57); // more records announced than written
    await assert.rejects(decodeRecordSet(set, 0, decompress), /truncated/);
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    for (const side of ['source', 'target']) {
      it(`reads the ${codec} batch from the lab's ${side} as kcat read it`, async () => {
        const captured = JSON.parse(fixture(`batch-${codec}-${side}.json`)) as {
          batchBase64: string;
          values: string[];
        };
        const records = await decodeRecordSet(Buffer.from(captured.batchBase64, 'base64'), 0, decompress);
        assert.deepEqual(
          records?.map((r) => r.value?.toString('utf8')),
          captured.values,
        );
        assert.deepEqual(
          records?.map((r) => r.offset),
          captured.values.map((_, i) => i),
        );
      });
    }
  }
});

describe('Fetch v11 response decoder', () => {
  it('reads partition headers, skips aborted transactions and keeps each record set', async () => {
    const set = await batch(5, sample.slice(0, 2));
    const parts: Buffer[] = [];
    const int16 = (n: number) => {
      const b = Buffer.alloc(2);
      b.writeInt16BE(n);
      return b;
    };
    const int32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return b;
    };
    const int64 = (n: number) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(n));
      return b;
    };
    parts.push(int32(0), int16(0), int32(0), int32(1), int16(6), Buffer.from('orders'), int32(2));
    // partition 3: one aborted transaction, records
    parts.push(int32(3), int16(0), int64(7), int64(7), int64(2), int32(1), int64(99), int64(4), int32(-1));
    parts.push(int32(set.length), set);
    // partition 4: offset out of range, no aborted list (-1), no records
    parts.push(int32(4), int16(1), int64(0), int64(0), int64(0), int32(-1), int32(-1), int32(0));
    const decoded = decodeFetchV11(Buffer.concat(parts));
    assert.equal(decoded.errorCode, 0);
    assert.deepEqual(
      decoded.partitions.map((p) => [p.topic, p.partition, p.errorCode, p.highWatermark, p.logStartOffset]),
      [
        ['orders', 3, 0, 7, 2],
        ['orders', 4, 1, 0, 0],
      ],
    );
    assert.deepEqual(decoded.partitions[0]!.recordSet, set);
    assert.equal(decoded.partitions[1]!.recordSet.length, 0);
  });
});
