/**
 * Decoders (and encoders) for the records MirrorMaker 2 writes to its internal topics.
 *
 * Layouts are Kafka protocol structs (org.apache.kafka.common.protocol.types), big-endian, no headers:
 *   Heartbeat   key: STRING sourceClusterAlias, STRING targetClusterAlias
 *               value: INT16 version (0), INT64 timestamp
 *   Checkpoint  key: STRING group, STRING topic, INT32 partition
 *               value: INT16 version (0), INT64 upstreamOffset, INT64 downstreamOffset, STRING metadata
 *   OffsetSync  key: STRING topic, INT32 partition
 *               value: INT64 upstreamOffset, INT64 downstreamOffset (no version)
 * STRING = INT16 byte length (never negative) + UTF-8.
 *
 * Decoders are strict: a short buffer, a negative string length, invalid UTF-8, an unknown version,
 * an INT64 beyond 2^53 or trailing bytes all throw {@link DecodeError}. Strictness is deliberate: the
 * most likely cause of a mismatch is reading the wrong topic, and that should be loud.
 */

import { inlineNumber } from '../util/number.js';

/** A buffer that is not the record it was decoded as. One-line message. */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

export interface HeartbeatKey {
  sourceClusterAlias: string;
  targetClusterAlias: string;
}
export interface HeartbeatValue {
  version: number;
  timestampMs: number;
}
export interface CheckpointKey {
  group: string;
  /** Target-side topic name. */
  topic: string;
  partition: number;
}
export interface CheckpointValue {
  version: number;
  upstreamOffset: number;
  downstreamOffset: number;
  metadata: string;
}
export interface OffsetSyncKey {
  /** Source-side topic name. */
  topic: string;
  partition: number;
}
export interface OffsetSyncValue {
  upstreamOffset: number;
  downstreamOffset: number;
}
/** One entry of the Connect offsets topic written by MirrorSourceConnector. */
export interface ConnectOffsetRecord {
  /** `MirrorSourceConnector`, `A->B.MirrorSourceConnector` (Strimzi) or whatever name was POSTed. */
  connector: string;
  /** Source cluster alias. */
  cluster: string;
  /** Source-side topic name. */
  topic: string;
  partition: number;
  /** Offset of the last record MM2 replicated; null for a tombstone (offsets were reset). */
  offset: number | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class Reader {
  private pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly what: string,
  ) {}

  private view(n: number, field: string): DataView {
    if (this.pos + n > this.buf.length) {
      throw new DecodeError(
        `${this.what}: buffer too short for ${field} (need ${this.pos + n} bytes, have ${this.buf.length})`,
      );
    }
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return v;
  }

  int16(field: string): number {
    return this.view(2, field).getInt16(0);
  }

  int32(field: string): number {
    return this.view(4, field).getInt32(0);
  }

  int64(field: string): number {
    const big = this.view(8, field).getBigInt64(0);
    const n = Number(big);
    if (!Number.isSafeInteger(n)) throw new DecodeError(`${this.what}: ${field} ${big} is beyond 2^53`);
    return inlineNumber(n);
  }

  string(field: string): string {
    const length = this.int16(`${field} length`);
    if (length < 0) throw new DecodeError(`${this.what}: ${field} has negative length ${length}`);
    if (this.pos + length > this.buf.length) {
      throw new DecodeError(
        `${this.what}: buffer too short for ${field} (length ${length}, ${this.buf.length - this.pos} bytes left)`,
      );
    }
    const bytes = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    try {
      return utf8.decode(bytes);
    } catch {
      throw new DecodeError(`${this.what}: ${field} is not valid UTF-8`);
    }
  }

  version(): number {
    const v = this.int16('version');
    if (v !== 0) throw new DecodeError(`${this.what}: unsupported version ${v} (known: 0)`);
    return v;
  }

  end(): void {
    if (this.pos !== this.buf.length) {
      throw new DecodeError(`${this.what}: ${this.buf.length - this.pos} unexpected bytes after ${this.pos}`);
    }
  }
}

function reader(buf: Uint8Array | null | undefined, what: string): Reader {
  if (buf === null || buf === undefined) throw new DecodeError(`${what}: no bytes (null)`);
  return new Reader(buf, what);
}

export function decodeHeartbeatKey(buf: Uint8Array): HeartbeatKey {
  const r = reader(buf, 'heartbeat key');
  const sourceClusterAlias = r.string('sourceClusterAlias');
  const targetClusterAlias = r.string('targetClusterAlias');
  r.end();
  return { sourceClusterAlias, targetClusterAlias };
}

export function decodeHeartbeatValue(buf: Uint8Array): HeartbeatValue {
  const r = reader(buf, 'heartbeat value');
  const version = r.version();
  const timestampMs = r.int64('timestamp');
  r.end();
  return { version, timestampMs };
}

export function decodeCheckpointKey(buf: Uint8Array): CheckpointKey {
  const r = reader(buf, 'checkpoint key');
  const group = r.string('group');
  const topic = r.string('topic');
  const partition = r.int32('partition');
  r.end();
  return { group, topic, partition };
}

export function decodeCheckpointValue(buf: Uint8Array): CheckpointValue {
  const r = reader(buf, 'checkpoint value');
  const version = r.version();
  const upstreamOffset = r.int64('upstreamOffset');
  const downstreamOffset = r.int64('downstreamOffset');
  const metadata = r.string('metadata');
  r.end();
  return { version, upstreamOffset, downstreamOffset, metadata };
}

export function decodeOffsetSyncKey(buf: Uint8Array): OffsetSyncKey {
  const r = reader(buf, 'offset-sync key');
  const topic = r.string('topic');
  const partition = r.int32('partition');
  r.end();
  return { topic, partition };
}

export function decodeOffsetSyncValue(buf: Uint8Array): OffsetSyncValue {
  const r = reader(buf, 'offset-sync value');
  const upstreamOffset = r.int64('upstreamOffset');
  const downstreamOffset = r.int64('downstreamOffset');
  r.end();
  return { upstreamOffset, downstreamOffset };
}

// ---- encoders ----------------------------------------------------------------------------------

type Field =
  | { t: 'i16'; v: number }
  | { t: 'i32'; v: number }
  | { t: 'i64'; v: number }
  | { t: 'str'; v: Buffer };

function str(s: string, field: string): Field {
  const v = Buffer.from(s, 'utf8');
  if (v.length > 0x7fff)
    throw new RangeError(`${field} is ${v.length} bytes; a Kafka STRING holds at most 32767`);
  return { t: 'str', v };
}

function int(t: 'i16' | 'i32' | 'i64', v: number, field: string): Field {
  const limits = { i16: 2 ** 15, i32: 2 ** 31, i64: 2 ** 63 } as const;
  if (!Number.isSafeInteger(v) || v < -limits[t] || v >= limits[t]) {
    throw new RangeError(
      `${field} ${v} is not a valid ${t === 'i16' ? 'INT16' : t === 'i32' ? 'INT32' : 'INT64'}`,
    );
  }
  return { t, v };
}

function encode(fields: Field[]): Buffer {
  let size = 0;
  for (const f of fields) size += f.t === 'i16' ? 2 : f.t === 'i32' ? 4 : f.t === 'i64' ? 8 : 2 + f.v.length;
  const out = Buffer.alloc(size);
  let pos = 0;
  for (const f of fields) {
    switch (f.t) {
      case 'i16':
        pos = out.writeInt16BE(f.v, pos);
        break;
      case 'i32':
        pos = out.writeInt32BE(f.v, pos);
        break;
      case 'i64':
        pos = out.writeBigInt64BE(BigInt(f.v), pos);
        break;
      case 'str':
        pos = out.writeInt16BE(f.v.length, pos);
        pos += f.v.copy(out, pos);
        break;
    }
  }
  return out;
}

export function encodeHeartbeatKey(k: HeartbeatKey): Buffer {
  return encode([
    str(k.sourceClusterAlias, 'sourceClusterAlias'),
    str(k.targetClusterAlias, 'targetClusterAlias'),
  ]);
}

export function encodeHeartbeatValue(v: { timestampMs: number; version?: number }): Buffer {
  return encode([int('i16', v.version ?? 0, 'version'), int('i64', v.timestampMs, 'timestamp')]);
}

export function encodeCheckpointKey(k: CheckpointKey): Buffer {
  return encode([str(k.group, 'group'), str(k.topic, 'topic'), int('i32', k.partition, 'partition')]);
}

export function encodeCheckpointValue(v: {
  upstreamOffset: number;
  downstreamOffset: number;
  metadata?: string;
  version?: number;
}): Buffer {
  return encode([
    int('i16', v.version ?? 0, 'version'),
    int('i64', v.upstreamOffset, 'upstreamOffset'),
    int('i64', v.downstreamOffset, 'downstreamOffset'),
    str(v.metadata ?? '', 'metadata'),
  ]);
}

export function encodeOffsetSyncKey(k: OffsetSyncKey): Buffer {
  return encode([str(k.topic, 'topic'), int('i32', k.partition, 'partition')]);
}

export function encodeOffsetSyncValue(v: OffsetSyncValue): Buffer {
  return encode([
    int('i64', v.upstreamOffset, 'upstreamOffset'),
    int('i64', v.downstreamOffset, 'downstreamOffset'),
  ]);
}

// ---- Connect offsets topic (JSON) --------------------------------------------------------------

function parseJson(buf: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asPartition(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && /^\d{1,9}$/.test(v)) return Number(v);
  return undefined;
}

/**
 * Decodes one record of the Connect offsets topic (JsonConverter, schemas off) if it is a
 * MirrorSourceConnector position: key `["<connector>",{"cluster":"A","partition":0,"topic":"orders"}]`
 * (any key order), value `{"offset":1234}` or null (tombstone → offset null; a zero-length value, as
 * some clients hand tombstones over, and a JSON `null` count as tombstones too).
 *
 * Returns undefined, never throws, for anything else: heartbeat/checkpoint connector entries (their
 * partitions have no `cluster`), other connectors, invalid JSON, an unusable offset.
 */
export function decodeConnectOffsetRecord(
  key: Uint8Array | null | undefined,
  value: Uint8Array | null | undefined,
): ConnectOffsetRecord | undefined {
  if (!key || key.length === 0) return undefined;
  const k = parseJson(key);
  if (!Array.isArray(k) || k.length !== 2) return undefined;
  const [connector, sourcePartition] = k as [unknown, unknown];
  if (typeof connector !== 'string' || !isRecord(sourcePartition)) return undefined;
  const { cluster, topic } = sourcePartition;
  const partition = asPartition(sourcePartition.partition);
  if (typeof cluster !== 'string' || typeof topic !== 'string' || partition === undefined) return undefined;

  let offset: number | null;
  if (value === null || value === undefined || value.length === 0) {
    offset = null;
  } else {
    const v = parseJson(value);
    if (v === null) offset = null;
    else if (isRecord(v) && typeof v.offset === 'number' && Number.isSafeInteger(v.offset)) offset = v.offset;
    else return undefined;
  }
  return { connector, cluster, topic, partition, offset };
}
