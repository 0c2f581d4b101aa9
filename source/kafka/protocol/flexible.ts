/**
 * What every request module here needs to speak a flexible API version (KIP-482) that kafkajs 2.2.4
 * does not: kafkajs' Encoder and Decoder, compact strings and arrays (unsigned-varint length + 1),
 * tagged fields, a bounds-checked reader, and the {request, response} pair kafkajs' connections send.
 *
 * Header quirk: flexible versions use request header v2 and response header v1, whose tagged fields
 * kafkajs' header writer and reader do not know. A request payload therefore starts with the request
 * header's (empty) tagged fields, and a response payload, as kafkajs hands it over after the
 * correlation id, with the response header's.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface KafkaEncoder {
  writeInt8(value: number): KafkaEncoder;
  writeInt16(value: number): KafkaEncoder;
  writeInt32(value: number): KafkaEncoder;
  writeBoolean(value: boolean): KafkaEncoder;
  writeUVarInt(value: number): KafkaEncoder;
  writeUVarIntString(value: string | null): KafkaEncoder;
  readonly buf: Buffer;
  readonly buffer: Buffer;
}

interface KafkaDecoder {
  offset: number;
  buffer: Buffer;
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readInt64(): bigint;
  readUVarInt(): number;
  readBytes(length: number): Buffer;
}

const Encoder = require('kafkajs/src/protocol/encoder') as new () => KafkaEncoder;
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => KafkaDecoder;

/** A new request payload: the request header v2's tagged fields (none) come first. */
export function flexibleRequestEncoder(): KafkaEncoder {
  return new Encoder().writeUVarInt(0);
}

/** A compact array of strings; null writes a null array (length 0). */
export function writeCompactStrings(encoder: KafkaEncoder, values: readonly string[] | null): void {
  if (values === null) {
    encoder.writeUVarInt(0);
    return;
  }
  encoder.writeUVarInt(values.length + 1);
  for (const value of values) encoder.writeUVarIntString(value);
}

/** A compact array of structs, each written by `element` (which writes its own tagged fields). */
export function writeCompactArray<T>(
  encoder: KafkaEncoder,
  values: readonly T[],
  element: (encoder: KafkaEncoder, value: T) => void,
): void {
  encoder.writeUVarInt(values.length + 1);
  for (const value of values) element(encoder, value);
}

/** Reads with bounds checks: a response is data from the wire and may be cut short or garbled. */
export class FlexibleReader {
  private readonly decoder: KafkaDecoder;

  /** `apiName` starts every error message: `OffsetFetch response truncated reading topics`. */
  constructor(
    buffer: Buffer,
    private readonly apiName: string,
  ) {
    this.decoder = new Decoder(buffer);
  }

  /** Where the next read starts, in the buffer given. */
  get position(): number {
    return this.decoder.offset;
  }

  /** The bytes read: for a caller's own bounds-checked pass over a part (then `seek` past it). */
  get bytes(): Buffer {
    return this.decoder.buffer;
  }

  /** Goes back (or forth) to `position`, one this reader returned: to read a part again. */
  seek(position: number): void {
    this.decoder.offset = position;
  }

  /**
   * Whether the (non-null) string at the position is `expected`, without decoding it unless it has
   * bytes past ASCII; steps over it either way.
   */
  stringIs(expected: string, what: string): boolean {
    const length = this.length(what);
    if (length === 0) return false;
    const { buffer } = this.decoder;
    const start = this.decoder.offset;
    const size = length - 1;
    this.decoder.offset = start + size;
    if (size !== expected.length) return buffer.toString('utf8', start, start + size) === expected;
    for (let i = 0; i < size; i++) {
      const byte = buffer[start + i] as number;
      if (byte >= 0x80) return buffer.toString('utf8', start, start + size) === expected;
      if (byte !== expected.charCodeAt(i)) return false;
    }
    return true;
  }

  private need(bytes: number, what: string): void {
    if (this.decoder.offset + bytes > this.decoder.buffer.length)
      throw new Error(`${this.apiName} response truncated reading ${what}`);
  }

  int8(what: string): number {
    this.need(1, what);
    return this.decoder.readInt8();
  }

  int16(what: string): number {
    this.need(2, what);
    return this.decoder.readInt16();
  }

  int32(what: string): number {
    this.need(4, what);
    return this.decoder.readInt32();
  }

  int64(what: string): bigint {
    this.need(8, what);
    return this.decoder.readInt64();
  }

  /**
   * An int64 as a number, exact below 2^53 (offsets): no BigInt per value, which at 100,000 committed
   * offsets a refresh was a heap object each.
   */
  int64Number(what: string): number {
    this.need(8, what);
    const { buffer, offset } = this.decoder;
    this.decoder.offset = offset + 8;
    return buffer.readInt32BE(offset) * 4_294_967_296 + buffer.readUInt32BE(offset + 4);
  }

  /** An unsigned varint, at most 5 bytes, every one of them inside the buffer. */
  private uvarint(what: string): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      this.need(1, what);
      const byte = this.decoder.buffer[this.decoder.offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error(`${this.apiName} response has a malformed length in ${what}`);
  }

  private length(what: string): number {
    const length = this.uvarint(what);
    if (length > 0) this.need(length - 1, what);
    return length;
  }

  nullableString(what: string): string | null {
    const length = this.length(what);
    if (length === 0) return null;
    const start = this.decoder.offset;
    this.decoder.offset += length - 1;
    return this.decoder.buffer.toString('utf8', start, start + length - 1);
  }

  /** Steps over a (nullable) string without decoding it. */
  skipString(what: string): void {
    const length = this.length(what);
    if (length > 0) this.decoder.offset += length - 1;
  }

  string(what: string): string {
    const value = this.nullableString(what);
    if (value === null) throw new Error(`${this.apiName} response has a null ${what}`);
    return value;
  }

  uuid(what: string): string {
    this.need(16, what);
    return this.decoder.readBytes(16).toString('base64url');
  }

  /**
   * The element count of a compact array whose elements the caller reads; null (length 0) is empty.
   * Each element takes at least one byte, so a count past the buffer's end is refused here.
   */
  arrayLength(what: string): number {
    return Math.max(0, this.length(what) - 1);
  }

  /** A compact array; null (length 0) reads as empty. */
  array<T>(what: string, element: (reader: FlexibleReader) => T): T[] {
    const length = this.arrayLength(what);
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(element(this));
    return items;
  }

  taggedFields(what: string): void {
    const count = this.uvarint(what);
    for (let i = 0; i < count; i++) {
      this.uvarint(what); // tag
      const size = this.uvarint(what);
      this.need(size, what);
      this.decoder.offset += size;
    }
  }
}

/** Decodes a flexible response payload: response header v1's tagged fields, then `body`. */
export function decodeFlexibleResponse<T>(
  payload: Buffer,
  apiName: string,
  body: (reader: FlexibleReader) => T,
): T {
  const reader = new FlexibleReader(payload, apiName);
  reader.taggedFields('response header');
  const decoded = body(reader);
  reader.taggedFields('response');
  return decoded;
}

/** The {request, response} pair a kafkajs connection sends (`connection.send(...)`), answering T. */
export interface FlexibleProtocolRequest<T> {
  request: { apiKey: number; apiName: string; apiVersion: number; encode: () => Promise<KafkaEncoder> };
  response: {
    decode: (payload: Buffer) => Promise<T & { clientSideThrottleTime: number }>;
    parse: (data: T) => Promise<T>;
  };
}

/**
 * Errors inside the answer (per group, per key) stay in it for the caller: parse passes the decoded
 * answer through.
 */
export function flexibleProtocolRequest<T extends { throttleTimeMs: number }>(
  api: { apiKey: number; apiName: string; apiVersion: number },
  encode: () => KafkaEncoder,
  decode: (payload: Buffer) => T,
): FlexibleProtocolRequest<T> {
  return {
    request: { ...api, encode: async () => encode() },
    response: {
      decode: async (payload: Buffer) => {
        const decoded = decode(payload);
        return { ...decoded, clientSideThrottleTime: decoded.throttleTimeMs };
      },
      parse: async (data: T) => data,
    },
  };
}

/**
 * The same pair for a non-flexible request whose body `encode` writes whole: kafkajs appends the
 * `buffer` of whatever it is handed as an encoder. `parse` decides which errors throw (by default
 * none: they stay in the answer for the caller).
 */
export function classicProtocolRequest<T extends { throttleTimeMs: number }>(
  api: { apiKey: number; apiName: string; apiVersion: number },
  encode: () => Buffer,
  decode: (payload: Buffer) => T,
  parse: (data: T) => Promise<T> = async (data) => data,
): FlexibleProtocolRequest<T> {
  const request = flexibleProtocolRequest(
    api,
    () => {
      const buffer = encode();
      return { buf: buffer, buffer } as unknown as KafkaEncoder;
    },
    decode,
  );
  return { request: request.request, response: { ...request.response, parse } };
}
