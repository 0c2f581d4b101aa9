import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import {
  isXerialSnappy,
  type KafkaCodec,
  registerCompressionCodecs,
  snappyCompressRaw,
  snappyCompressXerial,
  snappyDecompress,
  zstdDecompress,
} from '../../source/kafka/codecs.js';
import { fixture } from '../helpers/fixtures.js';

const require = createRequire(import.meta.url);
const { CompressionCodecs, CompressionTypes } = kafkajs;

registerCompressionCodecs();

const TYPES = {
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
} as const;
type CodecName = keyof typeof TYPES;

/** The codec kafkajs looks up for a batch with this compression type, as its decoder does. */
function kafkajsCodec(name: CodecName): KafkaCodec {
  return (CompressionCodecs as Record<number, () => KafkaCodec>)[TYPES[name]]!();
}

const text = Buffer.from(
  Array.from({ length: 3000 }, (_, i) => `10.0.${i % 256}.1,GET,/Archives/edgar/data/${i}/,200\n`).join(''),
);
const samples: Record<string, Buffer> = {
  'one byte': Buffer.from('x'),
  'log lines (compressible, several snappy blocks)': text,
  'random bytes (incompressible)': randomBytes(100_000),
};

describe('compression codecs registered with kafkajs', () => {
  for (const name of Object.keys(TYPES) as CodecName[]) {
    for (const [label, data] of Object.entries(samples)) {
      it(`${name} round-trips ${label}`, async () => {
        const codec = kafkajsCodec(name);
        const compressed = await codec.compress({ buffer: data });
        if (label.startsWith('log lines'))
          assert.ok(compressed.length < data.length / 3, `${name} compresses`);
        assert.deepEqual(await codec.decompress(compressed), data);
      });
    }
  }

  for (const name of ['snappy', 'lz4', 'zstd'] as const) {
    it(`${name} rejects corrupt data instead of returning wrong bytes`, async () => {
      const codec = kafkajsCodec(name);
      const compressed = await codec.compress({ buffer: text });
      const truncated = compressed.subarray(0, Math.floor(compressed.length / 2));
      await assert.rejects(codec.decompress(truncated));
      await assert.rejects(codec.decompress(Buffer.from('not compressed at all, just text')));
    });
  }
});

describe('snappy framing', () => {
  it('reads raw snappy (librdkafka, kcat) and the xerial stream (Java clients)', () => {
    const raw = snappyCompressRaw(text);
    const xerial = snappyCompressXerial(text);
    assert.equal(isXerialSnappy(raw), false);
    assert.equal(isXerialSnappy(xerial), true);
    assert.deepEqual(
      xerial.subarray(0, 16),
      Buffer.from('82534e415050590000000001000000 01'.replace(/ /g, ''), 'hex'),
    );
    assert.deepEqual(snappyDecompress(raw), text);
    assert.deepEqual(snappyDecompress(xerial), text);
  });

  it('reads a xerial stream of several blocks and fails on a truncated one', () => {
    const xerial = snappyCompressXerial(text);
    const firstBlock = xerial.readUInt32BE(16);
    assert.ok(20 + firstBlock < xerial.length, 'the sample spans more than one 32 KiB block');
    assert.throws(() => snappyDecompress(xerial.subarray(0, xerial.length - 3)), /truncated/);
    assert.throws(() => snappyDecompress(xerial.subarray(0, 18)), /truncated/);
  });
});

interface BatchFixture {
  codec: CodecName;
  writtenBy: string;
  attributes: number;
  records: number;
  batchBase64: string;
  values: string[];
}

const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: unknown,
) => Promise<{ records: Array<{ value: Buffer | null }> }>;

describe('record batches captured from the lab (segment files), read through kafkajs', () => {
  for (const codec of Object.keys(TYPES) as CodecName[]) {
    for (const side of ['source', 'target'] as const) {
      const batch = JSON.parse(fixture(`batch-${codec}-${side}.json`)) as BatchFixture;
      it(`${codec} batch written by ${batch.writtenBy}`, async () => {
        assert.equal(batch.attributes & 0x07, TYPES[codec], 'the batch is compressed with this codec');
        const decoded = await decodeRecordBatch(new Decoder(Buffer.from(batch.batchBase64, 'base64')));
        assert.equal(decoded.records.length, batch.records);
        assert.deepEqual(
          decoded.records.map((r) => r.value?.toString('utf8')),
          batch.values,
          'the values kcat read from the same offsets',
        );
      });
    }
  }

  it('fzstd, the zstd fallback where no native binary installs, reads both zstd batches alike', async () => {
    const fzstd = require('fzstd') as { decompress(data: Uint8Array): Uint8Array };
    for (const side of ['source', 'target']) {
      const batch = Buffer.from(
        (JSON.parse(fixture(`batch-zstd-${side}.json`)) as BatchFixture).batchBase64,
        'base64',
      );
      const frame = batch.subarray(61);
      assert.deepEqual(Buffer.from(fzstd.decompress(frame)), await zstdDecompress(frame));
    }
  });

  it('the Java-written snappy batch is xerial-framed, the kcat one raw', () => {
    const recordsAt = 61; // a v2 batch header is 61 bytes (record count last): the compressed records follow
    const java = Buffer.from(
      (JSON.parse(fixture('batch-snappy-target.json')) as BatchFixture).batchBase64,
      'base64',
    );
    const kcat = Buffer.from(
      (JSON.parse(fixture('batch-snappy-source.json')) as BatchFixture).batchBase64,
      'base64',
    );
    assert.equal(isXerialSnappy(java.subarray(recordsAt)), true);
    assert.equal(isXerialSnappy(kcat.subarray(recordsAt)), false);
  });
});
