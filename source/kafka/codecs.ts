/**
 * Kafka's record-batch compression codecs for kafkajs, which ships gzip only: snappy, lz4 and zstd
 * are registered here, once, in kafkajs' global `CompressionCodecs` (every kafkajs client of the
 * process then reads and writes them). Decompression is what mirrorwatch needs on every read path;
 * compression is used by the lab's producers.
 *
 * - gzip: kafkajs' own codec (Node's zlib).
 * - snappy: Java clients write the xerial-framed stream, librdkafka (kcat) raw snappy: both are read;
 *   `snappyjs` (pure JavaScript) does the blocks.
 * - lz4: Kafka's lz4 is the LZ4 frame format: `lz4-napi` (lz4_flex, per-platform binaries shipped
 *   as npm packages).
 * - zstd: `@toondepauw/node-zstd` (zstd via napi-rs, per-platform binaries shipped as npm packages);
 *   on a platform without a binary, `fzstd` (pure JavaScript) decompresses and compression is refused.
 */
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';

const require = createRequire(import.meta.url);

interface SnappyJs {
  uncompress(data: Uint8Array, maxLength?: number): Uint8Array;
  compress(data: Uint8Array): Uint8Array;
}
interface Lz4Napi {
  decompressFrame(data: Buffer): Promise<Buffer>;
  decompressFrameSync(data: Buffer): Buffer;
  compressFrameSync(data: Buffer): Buffer;
}
interface NodeZstd {
  Decoder: new () => { decode(data: Buffer): Promise<Buffer>; decodeSync(data: Buffer): Buffer };
  Encoder: new (level: number) => { encodeSync(data: Buffer): Buffer };
}
interface Fzstd {
  decompress(data: Uint8Array): Uint8Array;
}

/** What kafkajs calls: `compress` gets its record encoder, `decompress` the batch's records bytes. */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// --- snappy -------------------------------------------------------------------------------------

/** `\x82SNAPPY\0`: the xerial snappy-java stream header, followed by two int32 versions. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_LENGTH = 16;
/** snappy-java's default block size, which Kafka's Java producer uses. */
const XERIAL_BLOCK = 32 * 1024;
/** A snappy copy op expands 3 bytes to at most 64: no valid block decodes to more than this. */
const SNAPPY_MAX_EXPANSION = 22;

let snappyjs: SnappyJs | undefined;
function snappyBlocks(): SnappyJs {
  snappyjs ??= require('snappyjs') as SnappyJs;
  return snappyjs;
}

function uncompressSnappyBlock(block: Buffer): Buffer {
  return asBuffer(snappyBlocks().uncompress(block, block.length * SNAPPY_MAX_EXPANSION + 64));
}

export function isXerialSnappy(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_LENGTH && data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

/** Raw snappy (librdkafka) or the xerial framing (Java clients): int32 length + raw block, repeated. */
export function snappyDecompress(data: Buffer): Buffer {
  if (!isXerialSnappy(data)) return uncompressSnappyBlock(data);
  const blocks: Buffer[] = [];
  let at = XERIAL_HEADER_LENGTH;
  while (at < data.length) {
    if (at + 4 > data.length) throw new Error('truncated xerial snappy block header');
    const length = data.readUInt32BE(at);
    at += 4;
    if (at + length > data.length) throw new Error('truncated xerial snappy block');
    blocks.push(uncompressSnappyBlock(data.subarray(at, at + length)));
    at += length;
  }
  return Buffer.concat(blocks);
}

/** The xerial framing, as Kafka's Java producer writes it (version 1, compatible version 1). */
export function snappyCompressXerial(data: Buffer): Buffer {
  const parts: Buffer[] = [XERIAL_MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])];
  for (let at = 0; at < data.length; at += XERIAL_BLOCK) {
    const block = asBuffer(snappyBlocks().compress(data.subarray(at, at + XERIAL_BLOCK)));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

/** Raw snappy, as librdkafka writes it. */
export function snappyCompressRaw(data: Buffer): Buffer {
  return asBuffer(snappyBlocks().compress(data));
}

// --- lz4 ----------------------------------------------------------------------------------------

let lz4: Lz4Napi | undefined;
function lz4Frames(): Lz4Napi {
  lz4 ??= require('lz4-napi') as Lz4Napi;
  return lz4;
}

/** Off the main thread (libuv's pool), so that it overlaps with decoding the previous batch. */
export function lz4Decompress(data: Buffer): Promise<Buffer> {
  return lz4Frames().decompressFrame(data);
}

export function lz4Compress(data: Buffer): Buffer {
  return lz4Frames().compressFrameSync(data);
}

// --- zstd ---------------------------------------------------------------------------------------

const ZSTD_LEVEL = 3; // Kafka's default zstd level

type Zstd = { decompress(data: Buffer): Buffer | Promise<Buffer>; compress?: (data: Buffer) => Buffer };
let zstd: Zstd | undefined;

function zstdImplementation(): Zstd {
  if (zstd) return zstd;
  try {
    const native = require('@toondepauw/node-zstd') as NodeZstd;
    const decoder = new native.Decoder();
    const encoder = new native.Encoder(ZSTD_LEVEL);
    zstd = { decompress: (d) => decoder.decode(d), compress: (d) => encoder.encodeSync(d) };
  } catch {
    const fzstd = require('fzstd') as Fzstd;
    zstd = { decompress: (d) => asBuffer(fzstd.decompress(d)) };
  }
  return zstd;
}

export async function zstdDecompress(data: Buffer): Promise<Buffer> {
  return zstdImplementation().decompress(data);
}

export function zstdCompress(data: Buffer): Buffer {
  const { compress } = zstdImplementation();
  if (!compress)
    throw new Error(
      `zstd compression needs @toondepauw/node-zstd, not available on ${process.platform}-${process.arch}`,
    );
  return compress(data);
}

// --- registration -------------------------------------------------------------------------------

function codec(
  compress: (data: Buffer) => Buffer,
  decompress: (data: Buffer) => Buffer | Promise<Buffer>,
): KafkaCodec {
  return {
    compress: async (encoder) => compress(encoder.buffer),
    decompress: async (buffer) => decompress(buffer),
  };
}

export const CODECS = {
  snappy: codec(snappyCompressXerial, snappyDecompress),
  lz4: codec(lz4Compress, lz4Decompress),
  zstd: codec(zstdCompress, zstdDecompress),
} as const;

let registered = false;

/** Registers snappy, lz4 and zstd with kafkajs (idempotent); gzip is kafkajs' own. */
export function registerCompressionCodecs(): void {
  if (registered) return;
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  const codecs = CompressionCodecs as Record<number, () => KafkaCodec>;
  codecs[CompressionTypes.Snappy] = () => CODECS.snappy;
  codecs[CompressionTypes.LZ4] = () => CODECS.lz4;
  codecs[CompressionTypes.ZSTD] = () => CODECS.zstd;
  registered = true;
}
