import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  DecodeError,
  decodeCheckpointKey,
  decodeCheckpointValue,
  decodeConnectOffsetRecord,
  decodeHeartbeatKey,
  decodeHeartbeatValue,
  decodeOffsetSyncKey,
  decodeOffsetSyncValue,
  encodeCheckpointKey,
  encodeCheckpointValue,
  encodeHeartbeatKey,
  encodeHeartbeatValue,
  encodeOffsetSyncKey,
  encodeOffsetSyncValue,
} from '../../source/mm2/records.js';
import { fixture, fixtureBytes, repoRoot } from '../helpers/fixtures.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function throwsDecode(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
}

describe('heartbeat records', () => {
  it('decodes the documented key for aliases A and B: 00 01 41 00 01 42', () => {
    assert.deepEqual(decodeHeartbeatKey(hex('00 01 41 00 01 42')), {
      sourceClusterAlias: 'A',
      targetClusterAlias: 'B',
    });
    assert.deepEqual(
      encodeHeartbeatKey({ sourceClusterAlias: 'A', targetClusterAlias: 'B' }),
      hex('000141000142'),
    );
  });

  it('decodes a value: INT16 version 0 + INT64 timestamp, 10 bytes', () => {
    const ts = 1_732_530_000_123;
    const buf = encodeHeartbeatValue({ timestampMs: ts });
    assert.equal(buf.length, 10);
    assert.deepEqual(buf, hex(`0000 ${ts.toString(16).padStart(16, '0')}`));
    assert.deepEqual(decodeHeartbeatValue(buf), { version: 0, timestampMs: ts });
  });

  it('round-trips non-ASCII aliases (UTF-8 byte lengths, not string lengths)', () => {
    const key = { sourceClusterAlias: 'dc-münchen', targetClusterAlias: '東京' };
    const buf = encodeHeartbeatKey(key);
    assert.equal(buf.readInt16BE(0), Buffer.byteLength('dc-münchen'));
    assert.deepEqual(decodeHeartbeatKey(buf), key);
  });

  it('round-trips empty aliases', () => {
    assert.deepEqual(decodeHeartbeatKey(hex('0000 0000')), {
      sourceClusterAlias: '',
      targetClusterAlias: '',
    });
  });

  it('rejects short, negative-length, trailing, invalid UTF-8 and unknown-version buffers', () => {
    throwsDecode(
      () => decodeHeartbeatKey(hex('')),
      /heartbeat key: buffer too short for sourceClusterAlias length/,
    );
    throwsDecode(() => decodeHeartbeatKey(hex('00')), /too short/);
    throwsDecode(
      () => decodeHeartbeatKey(hex('0005 41')),
      /too short for sourceClusterAlias \(length 5, 1 bytes left\)/,
    );
    throwsDecode(() => decodeHeartbeatKey(hex('0001 41')), /too short for targetClusterAlias length/);
    throwsDecode(() => decodeHeartbeatKey(hex('ffff 41')), /negative length -1/);
    throwsDecode(() => decodeHeartbeatKey(hex('0001 41 0001 42 00')), /1 unexpected bytes after 6/);
    throwsDecode(() => decodeHeartbeatKey(hex('0001 ff 0001 42')), /sourceClusterAlias is not valid UTF-8/);
    throwsDecode(
      () => decodeHeartbeatValue(hex('0000 0000')),
      /heartbeat value: buffer too short for timestamp/,
    );
    throwsDecode(() => decodeHeartbeatValue(hex('0001 0000000000000001')), /unsupported version 1/);
    throwsDecode(() => decodeHeartbeatValue(hex('0000 7fffffffffffffff')), /beyond 2\^53/);
  });

  it('throws DecodeError, not TypeError, for a null buffer', () => {
    throwsDecode(() => decodeHeartbeatKey(null as unknown as Buffer), /no bytes/);
  });

  it('decodes a key that is a slice of a larger buffer', () => {
    const big = hex('ffff 000141000142 ffff');
    assert.deepEqual(decodeHeartbeatKey(big.subarray(2, 8)), {
      sourceClusterAlias: 'A',
      targetClusterAlias: 'B',
    });
  });
});

describe('checkpoint records', () => {
  it('decodes a hand-built key: group, topic, partition', () => {
    const buf = hex('0007 62696c6c696e67  0008 412e6f7264657273  00000003');
    assert.deepEqual(decodeCheckpointKey(buf), { group: 'billing', topic: 'A.orders', partition: 3 });
    assert.deepEqual(encodeCheckpointKey({ group: 'billing', topic: 'A.orders', partition: 3 }), buf);
  });

  it('decodes a value with metadata and big offsets', () => {
    const v = { version: 0, upstreamOffset: 2 ** 40 + 7, downstreamOffset: 2 ** 33, metadata: 'meta' };
    const buf = encodeCheckpointValue(v);
    assert.equal(buf.length, 2 + 8 + 8 + 2 + 4);
    assert.deepEqual(decodeCheckpointValue(buf), v);
  });

  it('defaults the version to 0 and metadata to empty when encoding', () => {
    assert.deepEqual(
      encodeCheckpointValue({ upstreamOffset: 29, downstreamOffset: 1 }),
      hex('0000 000000000000001d 0000000000000001 0000'),
    );
  });

  it('rejects a value without its metadata string and an unknown version', () => {
    throwsDecode(
      () => decodeCheckpointValue(hex('0000 000000000000001d 0000000000000001')),
      /checkpoint value: buffer too short for metadata length/,
    );
    throwsDecode(
      () => decodeCheckpointValue(hex('0002 000000000000001d 0000000000000001 0000')),
      /version 2/,
    );
  });

  it('rejects a heartbeat key decoded as a checkpoint key', () => {
    throwsDecode(
      () => decodeCheckpointKey(hex('000141000142')),
      /checkpoint key: buffer too short for partition/,
    );
  });

  it('decodes negative offsets (-1 means unknown in Kafka)', () => {
    const buf = encodeCheckpointValue({ upstreamOffset: -1, downstreamOffset: -1, metadata: '' });
    assert.deepEqual(decodeCheckpointValue(buf), {
      version: 0,
      upstreamOffset: -1,
      downstreamOffset: -1,
      metadata: '',
    });
  });
});

describe('offset-sync records', () => {
  it('decodes a hand-built key and value (no version field)', () => {
    const key = hex('0006 6f7264657273 00000002');
    assert.deepEqual(decodeOffsetSyncKey(key), { topic: 'orders', partition: 2 });
    assert.deepEqual(encodeOffsetSyncKey({ topic: 'orders', partition: 2 }), key);
    const value = hex('00000000000004d2 0000000000000064');
    assert.deepEqual(decodeOffsetSyncValue(value), { upstreamOffset: 1234, downstreamOffset: 100 });
    assert.deepEqual(encodeOffsetSyncValue({ upstreamOffset: 1234, downstreamOffset: 100 }), value);
  });

  it('rejects short and long values', () => {
    throwsDecode(
      () => decodeOffsetSyncValue(hex('00000000000004d2')),
      /offset-sync value: buffer too short for downstreamOffset/,
    );
    throwsDecode(
      () => decodeOffsetSyncValue(hex('00000000000004d2 0000000000000064 00')),
      /unexpected bytes/,
    );
  });
});

describe('encoders validate their input', () => {
  it('refuses values that do not fit the Kafka types', () => {
    assert.throws(() => encodeOffsetSyncKey({ topic: 't', partition: 2 ** 31 }), RangeError);
    assert.throws(() => encodeOffsetSyncKey({ topic: 't', partition: 1.5 }), RangeError);
    assert.throws(() => encodeOffsetSyncValue({ upstreamOffset: 2 ** 53, downstreamOffset: 0 }), RangeError);
    assert.throws(() => encodeHeartbeatValue({ timestampMs: 0, version: 40000 }), RangeError);
    assert.throws(
      () => encodeHeartbeatKey({ sourceClusterAlias: 'x'.repeat(32768), targetClusterAlias: 'B' }),
      /at most 32767/,
    );
  });
});

/**
 * Byte fixtures: every test/fixtures/bytes-<record>-<key|value>[-label].bin is decoded as that record
 * and re-encoded to the same bytes; a sibling .json with the same base name, when present, holds the
 * expected decoded object. Drop new lab captures in with that naming and they are checked too.
 */
describe('byte fixtures (lab captures and hand-built)', () => {
  const codecs: Record<string, { decode: (b: Buffer) => unknown; encode: (v: never) => Buffer }> = {
    'heartbeat-key': { decode: decodeHeartbeatKey, encode: encodeHeartbeatKey },
    'heartbeat-value': { decode: decodeHeartbeatValue, encode: encodeHeartbeatValue },
    'checkpoint-key': { decode: decodeCheckpointKey, encode: encodeCheckpointKey },
    'checkpoint-value': { decode: decodeCheckpointValue, encode: encodeCheckpointValue },
    'offset-sync-key': { decode: decodeOffsetSyncKey, encode: encodeOffsetSyncKey },
    'offset-sync-value': { decode: decodeOffsetSyncValue, encode: encodeOffsetSyncValue },
  };
  const pattern =
    /^bytes-(heartbeat-key|heartbeat-value|checkpoint-key|checkpoint-value|offset-sync-key|offset-sync-value)(?:-.+)?\.bin$/;
  const dir = join(repoRoot, 'test', 'fixtures');
  const files = readdirSync(dir).filter((f) => pattern.test(f));

  it('finds fixtures for every record type', () => {
    const kinds = new Set(files.map((f) => pattern.exec(f)![1]));
    assert.deepEqual([...kinds].sort(), Object.keys(codecs).sort());
  });

  for (const file of files) {
    it(`${file} decodes and re-encodes to the same bytes`, () => {
      const codec = codecs[pattern.exec(file)![1]!]!;
      const bytes = fixtureBytes(file);
      const decoded = codec.decode(bytes);
      assert.deepEqual(codec.encode(decoded as never), bytes);
      const expected = file.replace(/\.bin$/, '.json');
      if (existsSync(join(dir, expected))) assert.deepEqual(decoded, JSON.parse(fixture(expected)));
    });
  }
});

describe('decodeConnectOffsetRecord', () => {
  const b = (s: string) => Buffer.from(s, 'utf8');

  it('decodes a dedicated-mode MirrorSourceConnector entry', () => {
    assert.deepEqual(
      decodeConnectOffsetRecord(
        b('["MirrorSourceConnector",{"cluster":"A","partition":0,"topic":"orders"}]'),
        b('{"offset":1234}'),
      ),
      { connector: 'MirrorSourceConnector', cluster: 'A', topic: 'orders', partition: 0, offset: 1234 },
    );
  });

  it('decodes a Strimzi entry whatever the key order', () => {
    assert.deepEqual(
      decodeConnectOffsetRecord(
        b('["A->B.MirrorSourceConnector",{"topic":"orders","partition":7,"cluster":"A"}]'),
        b('{"offset":0}'),
      ),
      { connector: 'A->B.MirrorSourceConnector', cluster: 'A', topic: 'orders', partition: 7, offset: 0 },
    );
  });

  it('reads a tombstone (null value) as offset null', () => {
    const key = b('["MirrorSourceConnector",{"cluster":"A","partition":1,"topic":"t"}]');
    assert.equal(decodeConnectOffsetRecord(key, null)?.offset, null);
    assert.equal(decodeConnectOffsetRecord(key, Buffer.alloc(0))?.offset, null);
    assert.equal(decodeConnectOffsetRecord(key, b('null'))?.offset, null);
  });

  it('skips heartbeat and checkpoint connector entries', () => {
    assert.equal(
      decodeConnectOffsetRecord(
        b('["MirrorHeartbeatConnector",{"sourceClusterAlias":"A","targetClusterAlias":"B"}]'),
        b('{"offset":0}'),
      ),
      undefined,
    );
    assert.equal(
      decodeConnectOffsetRecord(
        b('["MirrorCheckpointConnector",{"group":"g","topic":"t","partition":0}]'),
        b('{"offset":5}'),
      ),
      undefined,
    );
  });

  it('returns undefined, never throws, for invalid JSON and odd shapes', () => {
    const key = b('["MirrorSourceConnector",{"cluster":"A","partition":0,"topic":"t"}]');
    const cases: [Buffer | null, Buffer | null][] = [
      [b('not json'), b('{"offset":1}')],
      [b('["MirrorSourceConnector",{"cluster":"A"'), b('{"offset":1}')],
      [null, b('{"offset":1}')],
      [Buffer.alloc(0), null],
      [b('{"cluster":"A","partition":0,"topic":"t"}'), b('{"offset":1}')],
      [b('["c",{"cluster":"A","partition":-1,"topic":"t"}]'), b('{"offset":1}')],
      [b('["c",{"cluster":"A","partition":0.5,"topic":"t"}]'), b('{"offset":1}')],
      [b('["c",{"cluster":1,"partition":0,"topic":"t"}]'), b('{"offset":1}')],
      [b('[1,{"cluster":"A","partition":0,"topic":"t"}]'), b('{"offset":1}')],
      [b('["c",{"cluster":"A","partition":0,"topic":"t"},3]'), b('{"offset":1}')],
      [key, b('{"offset":"1"}')],
      [key, b('{"offset":1.5}')],
      [key, b('{"off":1}')],
      [key, b('[1]')],
      [key, Buffer.from([0xff, 0xfe])],
      [key, b('{"offset":')],
    ];
    for (const [k, v] of cases) assert.equal(decodeConnectOffsetRecord(k, v), undefined, `${k} / ${v}`);
  });

  it('accepts a partition written as a numeric string', () => {
    assert.equal(
      decodeConnectOffsetRecord(b('["c",{"cluster":"A","partition":"3","topic":"t"}]'), b('{"offset":9}'))
        ?.partition,
      3,
    );
  });
});
