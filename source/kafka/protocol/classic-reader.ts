/**
 * Reads the fields of a non-flexible (classic) Kafka response with bounds checks: a response is data
 * from the wire and may be cut short or garbled, and every failure is one line naming the API and the
 * field. Integers are big-endian; strings have an int16 length, arrays an int32 count.
 */
export class ClassicReader {
  at = 0;

  /** `apiName` starts every error message: `Metadata response truncated reading host`. */
  constructor(
    readonly buffer: Buffer,
    private readonly apiName: string,
  ) {}

  /**
   * Whether the answer holds `bytes` from `start` (an entry of the last answer, read from there on);
   * if so the position moves past them.
   */
  skipIfEqualFrom(start: number, bytes: Buffer): boolean {
    const end = start + bytes.length;
    if (end > this.buffer.length || this.buffer.compare(bytes, 0, bytes.length, start, end) !== 0)
      return false;
    this.at = end;
    return true;
  }

  /** A copy of the bytes from `start` to the position (kept after the response buffer is gone). */
  copySince(start: number): Buffer {
    return Buffer.from(this.buffer.subarray(start, this.at));
  }

  need(bytes: number, what: string): void {
    if (bytes < 0 || this.at + bytes > this.buffer.length)
      throw new Error(`${this.apiName} response truncated reading ${what}`);
  }

  int8(what: string): number {
    this.need(1, what);
    return this.buffer.readInt8(this.at++);
  }

  int16(what: string): number {
    this.need(2, what);
    const value = this.buffer.readInt16BE(this.at);
    this.at += 2;
    return value;
  }

  int32(what: string): number {
    this.need(4, what);
    const value = this.buffer.readInt32BE(this.at);
    this.at += 4;
    return value;
  }

  /** An int64 as a number, exact below 2^53 (offsets, timestamps): no BigInt per value. */
  int64(what: string): number {
    this.need(8, what);
    const value = this.buffer.readInt32BE(this.at) * 4_294_967_296 + this.buffer.readUInt32BE(this.at + 4);
    this.at += 8;
    return value;
  }

  nullableString(what: string): string | null {
    const length = this.int16(what);
    if (length < 0) return null;
    this.need(length, what);
    const value = this.buffer.toString('utf8', this.at, this.at + length);
    this.at += length;
    return value;
  }

  string(what: string): string {
    const value = this.nullableString(what);
    if (value === null) throw new Error(`${this.apiName} response has a null ${what}`);
    return value;
  }

  /**
   * An array's element count. Each element takes at least `minBytes`, so a negative count or one that
   * cannot fit in what is left is refused before anything is allocated for it.
   */
  count(what: string, minBytes = 1): number {
    const n = this.int32(what);
    if (n < 0 || this.at + n * minBytes > this.buffer.length)
      throw new Error(`${this.apiName} response has a bad ${what} count`);
    return n;
  }

  /** An array of int32 (node ids). */
  int32s(what: string): number[] {
    const n = this.count(what, 4);
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) values[i] = this.int32(what);
    return values;
  }
}
