/**
 * A decoder for Kafka's record batches (magic 2, Kafka 0.11+) and for the Fetch v11 response that
 * carries them, written for reading a whole topic: numbers stay JavaScript numbers (kafkajs turns every
 * offset and timestamp into a Long and a string, and builds a decoder object per record), so a million
 * records cost a fraction of kafkajs' time and garbage. Compressed batches go through the codecs
 * registered with kafkajs (source/kafka/codecs.ts). Message sets of the older formats (magic 0 and 1)
 * are left to kafkajs: `decodeRecordSet` answers null for them.
 */
import type { RawRecord } from './wire-cluster.js';

/** Offset, length, epoch, magic, crc, attributes, last offset delta, timestamps, producer, sequence, count. */
const BATCH_HEADER = 61;
const MAGIC_AT = 16;
const ATTRIBUTES_AT = 21;
const BASE_TIMESTAMP_AT = 27;
const MAX_TIMESTAMP_AT = 35;
const COUNT_AT = 57;
const LAST_OFFSET_DELTA_AT = 23;
const CODEC_MASK = 0x07;
const CONTROL_FLAG = 0x20;

/** Shared by every record without headers (most): one object fewer per record. */
const NO_HEADERS: RawRecord['headers'] = Object.freeze({});

export type Decompress = (codec: number, data: Buffer) => Promise<Buffer>;

/** A big-endian int64 as a number, without a BigInt (exact up to 2^53, as offsets and timestamps are). */
function int64At(buffer: Buffer, at: number): number {
  return buffer.readInt32BE(at) * 4_294_967_296 + buffer.readUInt32BE(at + 4);
}

class Reader {
  at = 0;
  constructor(readonly buffer: Buffer) {}

  /** An unsigned base-128 varint, as a number (exact up to 2^53). */
  private unsigned(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.buffer.length) throw new Error('record batch: truncated varint');
      const byte = this.buffer[this.at++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new Error('record batch: varint too long');
  }

  /** A zigzag-encoded signed varint or varlong. */
  varint(): number {
    const n = this.unsigned();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const end = this.at + length;
    if (end > this.buffer.length) throw new Error('record batch: truncated bytes');
    const bytes = this.buffer.subarray(this.at, end);
    this.at = end;
    return bytes;
  }
}

function decodeRecords(
  data: Buffer,
  count: number,
  baseOffset: number,
  baseTimestamp: number,
  from: number,
  into: RawRecord[],
): void {
  const reader = new Reader(data);
  for (let i = 0; i < count; i++) {
    const length = reader.varint();
    const end = reader.at + length;
    if (length < 0 || end > data.length) throw new Error('record batch: truncated record');
    reader.at++; // record attributes, unused
    const timestampDelta = reader.varint();
    const offset = baseOffset + reader.varint();
    const key = reader.bytes();
    const value = reader.bytes();
    const headerCount = reader.varint();
    const headers: RawRecord['headers'] = headerCount > 0 ? {} : NO_HEADERS;
    for (let h = 0; h < headerCount; h++) {
      const name = reader.bytes()?.toString('utf8') ?? '';
      const headerValue = reader.bytes() ?? Buffer.alloc(0);
      const seen = headers[name];
      headers[name] =
        seen === undefined ? headerValue : Array.isArray(seen) ? [...seen, headerValue] : [seen, headerValue];
    }
    reader.at = end;
    if (offset >= from)
      into.push({ offset, timestampMs: baseTimestamp + timestampDelta, key, value, headers });
  }
}

/** A v2 batch a record set ends inside, as its header tells: the fetch's byte limit cut it. */
export interface CutBatch {
  baseOffset: number;
  lastOffset: number;
  /** The newest record timestamp in the batch (CreateTime or LogAppendTime, as the topic keeps them). */
  maxTimestampMs: number;
}

/**
 * One walk over a record set's batch headers: `next`, the offset after the last complete v2 batch,
 * control batches (transaction markers) included, where the next fetch starts even when the batches
 * held no data records (null when the set has no complete v2 batch); `cut`, the batch the set ends
 * inside when its header arrived whole (null when the set ends on a batch boundary).
 */
export function recordSetEnd(set: Buffer): { next: number | null; cut: CutBatch | null } {
  let next: number | null = null;
  for (let at = 0; at + BATCH_HEADER <= set.length; ) {
    if (set.readInt8(at + MAGIC_AT) !== 2) break;
    const end = at + 12 + set.readInt32BE(at + 8);
    const baseOffset = int64At(set, at);
    const lastOffset = baseOffset + set.readInt32BE(at + LAST_OFFSET_DELTA_AT);
    if (end > set.length)
      return { next, cut: { baseOffset, lastOffset, maxTimestampMs: int64At(set, at + MAX_TIMESTAMP_AT) } };
    next = lastOffset + 1;
    at = end;
  }
  return { next, cut: null };
}

export function nextOffsetOf(set: Buffer): number | null {
  return recordSetEnd(set).next;
}

export function cutBatchOf(set: Buffer): CutBatch | null {
  return recordSetEnd(set).cut;
}

/**
 * The data records at or after `from` in a partition's record set (whole batches as the broker sent
 * them; a trailing partial batch, cut by the fetch size, is ignored; control batches are skipped).
 * Null when the set is in a pre-0.11 format.
 */
/** Kafka's default max.message.bytes: the largest batch a topic takes unless it was raised. */
export const WHOLE_BATCH_BYTES = 1_048_588;

export async function decodeRecordSet(
  set: Buffer,
  from: number,
  decompress: Decompress,
): Promise<RawRecord[] | null> {
  // First every batch of the set, with its decompression started (native codecs run off the main
  // thread, so they overlap with the decoding below), then the records in order.
  const batches: Array<{ at: number; body: Buffer | Promise<Buffer> }> = [];
  let oldFormat = false;
  let compressed = false;
  for (let at = 0; at + BATCH_HEADER <= set.length; ) {
    const end = at + 12 + set.readInt32BE(at + 8);
    if (end > set.length) break;
    if (set.readInt8(at + MAGIC_AT) !== 2) {
      oldFormat = true;
      break;
    }
    const attributes = set.readInt16BE(at + ATTRIBUTES_AT);
    if ((attributes & CONTROL_FLAG) === 0) {
      const codec = attributes & CODEC_MASK;
      const body = set.subarray(at + BATCH_HEADER, end);
      if (codec !== 0) compressed = true;
      batches.push({ at, body: codec === 0 ? body : decompress(codec, body) });
    }
    at = end;
  }
  if (oldFormat && batches.length === 0) return null;
  const records: RawRecord[] = [];
  const decodeBatch = (at: number, body: Buffer) =>
    decodeRecords(
      body,
      set.readInt32BE(at + COUNT_AT),
      int64At(set, at),
      int64At(set, at + BASE_TIMESTAMP_AT),
      from,
      records,
    );
  // Uncompressed sets (MM2's internal topics, read every refresh) are decoded without a promise per batch.
  if (!compressed) {
    for (const { at, body } of batches) decodeBatch(at, body as Buffer);
    return records;
  }
  try {
    for (const { at, body } of batches) decodeBatch(at, await body);
  } finally {
    // A failed batch must not leave the others' rejections unhandled.
    await Promise.allSettled(batches.map((b) => b.body));
  }
  return records;
}

export interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  /** The raw record set; decoded by the caller, which knows the offset it asked for. */
  recordSet: Buffer;
}

/** Fetch v11 response: throttle, error, session, then per topic per partition its header and record set. */
export function decodeFetchV11(response: Buffer): {
  errorCode: number;
  partitions: Array<FetchedPartition & { topic: string }>;
} {
  let at = 4; // throttle_time_ms
  const errorCode = response.readInt16BE(at);
  at += 2 + 4; // error_code, session_id
  const partitions: Array<FetchedPartition & { topic: string }> = [];
  const topics = response.readInt32BE(at);
  at += 4;
  for (let t = 0; t < topics; t++) {
    const nameLength = response.readInt16BE(at);
    const topic = response.toString('utf8', at + 2, at + 2 + nameLength);
    at += 2 + nameLength;
    const count = response.readInt32BE(at);
    at += 4;
    for (let p = 0; p < count; p++) {
      const partition = response.readInt32BE(at);
      const partitionError = response.readInt16BE(at + 4);
      const highWatermark = int64At(response, at + 6);
      const logStartOffset = int64At(response, at + 22);
      at += 30;
      const aborted = response.readInt32BE(at);
      at += 4 + Math.max(0, aborted) * 16 + 4; // aborted transactions, preferred_read_replica
      const size = response.readInt32BE(at);
      at += 4;
      const recordSet = size > 0 ? response.subarray(at, at + size) : Buffer.alloc(0);
      at += Math.max(0, size);
      partitions.push({
        topic,
        partition,
        errorCode: partitionError,
        highWatermark,
        logStartOffset,
        recordSet,
      });
    }
  }
  return { errorCode, partitions };
}
