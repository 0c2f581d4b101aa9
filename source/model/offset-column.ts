/**
 * One read's offsets (or lags) by series row, NaN where a row has no sample: the offset history's
 * column (offset-history.ts). Pure.
 *
 * Offsets are integers up to 2^53, but from one read to the next a partition moves by far less than
 * 2^31. A read is kept as 32-bit differences from a whole read before it (its base), half the memory of
 * 64-bit values; a read that does not fit (a new series, a jump of 2^31) is kept whole and becomes the
 * base of the reads after it. At 100,000 partitions and as many group partitions a side, that is about
 * 30 MB less over the 8 reads each series keeps at that scale. A read whose differences all fit in 16
 * bits (lags mostly: they are kept as differences from 0) takes 16 bits a row, half again.
 */

/** A row with no sample in a column of differences. */
const NO_SAMPLE = -0x80000000;
const MAX_DIFFERENCE = 0x7fffffff;
const NO_SAMPLE_16 = -0x8000;
const MAX_DIFFERENCE_16 = 0x7fff;

/** The differences of the read being made, before they are kept at their width (reused: reads are synchronous). */
let scratch = new Int32Array(4096);

export class OffsetColumn {
  static readonly EMPTY = new OffsetColumn(0, 0, new Float64Array(0), null, null, NO_SAMPLE);

  private constructor(
    readonly length: number,
    /** Rows with a sample. */
    readonly samples: number,
    /** The values, when kept whole. */
    private readonly whole: Float64Array | null,
    /** Otherwise: the base's values (NaN, or a row past its end, counts as 0) plus these differences. */
    private readonly base: Float64Array | null,
    private readonly differences: Int32Array | Int16Array | null,
    /** NO_SAMPLE at the differences' width. */
    private readonly noSample: number,
  ) {}

  /** The value at `row`, NaN when the column has no sample there. */
  get(row: number): number {
    if (row >= this.length) return Number.NaN;
    if (this.whole !== null) return this.whole[row] as number;
    const difference = (this.differences as Int32Array | Int16Array)[row] as number;
    if (difference === this.noSample) return Number.NaN;
    return baseAt(this.base as Float64Array, row) + difference;
  }

  /** Whether the values are kept whole (64 bits a row) rather than as differences (32 or 16). */
  get whole64(): boolean {
    return this.whole !== null;
  }

  /** Bits a row: 64 whole, else the differences' width. */
  get bits(): 64 | 32 | 16 {
    return this.whole !== null ? 64 : this.differences instanceof Int16Array ? 16 : 32;
  }

  /**
   * `values` (NaN: no sample; not kept, the caller may reuse it), as differences from the base of `previous` (the read before, of the same
   * rows) when every value fits, else whole. Without a previous read, differences from 0 (lags, small
   * offsets) when they fit.
   */
  static of(values: Float64Array, previous?: OffsetColumn): OffsetColumn {
    const base = previous ? previous.baseForNext() : null;
    if (scratch.length < values.length) scratch = new Int32Array(Math.max(values.length, scratch.length * 2));
    const differences = scratch;
    let samples = 0;
    let fits = true;
    let fits16 = true;
    for (let row = 0; row < values.length; row++) {
      const value = values[row] as number;
      if (Number.isNaN(value)) {
        differences[row] = NO_SAMPLE;
        continue;
      }
      samples++;
      const difference = base === null ? value : value - baseAt(base, row);
      if (!fits) continue;
      if (!Number.isInteger(difference) || difference <= NO_SAMPLE || difference > MAX_DIFFERENCE)
        fits = false;
      else {
        differences[row] = difference;
        if (difference <= NO_SAMPLE_16 || difference > MAX_DIFFERENCE_16) fits16 = false;
      }
    }
    // Copied: the caller reuses its array for the next read.
    if (!fits) return new OffsetColumn(values.length, samples, values.slice(), null, null, NO_SAMPLE);
    if (!fits16)
      return new OffsetColumn(
        values.length,
        samples,
        null,
        base ?? ZEROS,
        differences.slice(0, values.length),
        NO_SAMPLE,
      );
    const narrow = new Int16Array(values.length);
    for (let row = 0; row < values.length; row++) {
      const difference = differences[row] as number;
      narrow[row] = difference === NO_SAMPLE ? NO_SAMPLE_16 : difference;
    }
    return new OffsetColumn(values.length, samples, null, base ?? ZEROS, narrow, NO_SAMPLE_16);
  }

  private baseForNext(): Float64Array | null {
    return this.whole ?? (this.base === ZEROS ? null : this.base);
  }
}

const ZEROS = new Float64Array(0);

function baseAt(base: Float64Array, row: number): number {
  if (row >= base.length) return 0;
  const value = base[row] as number;
  return Number.isNaN(value) ? 0 : value;
}
