/**
 * Record-by-record comparison of a source partition with MM2's copy on the target. MM2 does not keep
 * offsets (and transaction markers or compaction leave gaps on either side), so records are aligned by
 * their order, not by offset. The comparison is incremental: records are added in bounded chunks and
 * resolved as soon as the buffered look-ahead allows.
 */

export interface ComparedRecord {
  offset: number;
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[] | undefined>;
}

/**
 * Headers MirrorMaker 2 adds to the copies it writes. Measured on the lab's MM2 4.3.1 (Connect,
 * ByteArrayConverter, IdentityReplicationPolicy): none; the copy carries exactly the source headers.
 */
export const MM2_ADDED_HEADERS: readonly string[] = [];

/** Where the first difference is: a side is null when that side has no record at that place. */
export interface FirstDifference {
  sourceOffset: number | null;
  targetOffset: number | null;
}

export interface AlignmentResult {
  /** Source records of the compared range that were resolved (matched, missing or different). */
  sourceRecords: number;
  /** Target records resolved against the compared range (matched, extra or different). */
  targetRecords: number;
  matched: number;
  /** Source records with no copy on the target. */
  missing: number;
  /** Target records with no source record: written straight to the target (split brain), or duplicated. */
  extra: number;
  /** Of the extra records, copies of a record already matched: a write MM2 retried (at-least-once). */
  duplicates: number;
  /** Records at the same place that differ in key, value, timestamp or headers. */
  different: number;
  /** Differences on a compacted topic that a later record with the same key explains. */
  explainedByCompaction: number;
  firstDifference: FirstDifference | null;
}

export interface AlignerOptions {
  /** Records searched ahead on each side before a mismatch is called missing, extra or different. */
  window?: number;
  ignoredHeaders?: readonly string[];
  /** cleanup.policy includes compact: superseded versions and tombstones may be on one side only. */
  compacted?: boolean;
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}

function headerValues(value: Buffer | Buffer[] | undefined): Buffer[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function sameHeaders(
  a: ComparedRecord['headers'],
  b: ComparedRecord['headers'],
  ignored: ReadonlySet<string>,
): boolean {
  const names = (h: ComparedRecord['headers']) =>
    Object.keys(h)
      .filter((n) => !ignored.has(n) && h[n] !== undefined)
      .sort();
  const an = names(a);
  const bn = names(b);
  if (an.length !== bn.length || an.some((n, i) => n !== bn[i])) return false;
  return an.every((n) => {
    const av = headerValues(a[n]);
    const bv = headerValues(b[n]);
    return av.length === bv.length && av.every((v, i) => sameBytes(v, bv[i] ?? null));
  });
}

/** Key, value, timestamp and headers (other than `ignoredHeaders`) equal; offsets are not compared. */
export function sameRecord(
  a: ComparedRecord,
  b: ComparedRecord,
  ignoredHeaders: ReadonlySet<string> = new Set(MM2_ADDED_HEADERS),
): boolean {
  return (
    a.timestampMs === b.timestampMs &&
    sameBytes(a.key, b.key) &&
    sameBytes(a.value, b.value) &&
    sameHeaders(a.headers, b.headers, ignoredHeaders)
  );
}

/** A FIFO with O(1) removal from the front. */
class Queue<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  at(i: number): T | undefined {
    return this.items[this.head + i];
  }
  push(value: T): void {
    this.items.push(value);
  }
  /** A list, not rest arguments: a fetch of small records can be more than a call's arguments may be. */
  pushAll(values: readonly T[]): void {
    for (const v of values) this.items.push(v);
  }
  shift(): T | undefined {
    const v = this.items[this.head];
    if (v === undefined) return undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }
}

interface SourceEntry {
  record: ComparedRecord;
  /** Inside the range being compared; records after it only help recognise the target's newer copies. */
  inRange: boolean;
}

interface Pending {
  side: 'source' | 'target';
  offset: number;
  otherOffset: number | null;
  seq: number;
}

const keyId = (key: Buffer | null) => (key === null ? '' : `k${key.toString('base64')}`);

export class RecordAligner {
  private readonly source = new Queue<SourceEntry>();
  private readonly target = new Queue<ComparedRecord>();
  private readonly window: number;
  private readonly ignored: ReadonlySet<string>;
  private readonly compacted: boolean;
  private readonly counts = {
    sourceRecords: 0,
    targetRecords: 0,
    matched: 0,
    missing: 0,
    extra: 0,
    different: 0,
    duplicates: 0,
    explainedByCompaction: 0,
  };
  /** The newest matched target records, to tell a duplicate from a record written straight to the target. */
  private readonly recent: ComparedRecord[] = [];
  private first: FirstDifference | null = null;
  /** Compacted topics: differences a later record with the same key on the same side would explain. */
  private readonly pending = new Map<string, Pending[]>();
  private seq = 0;
  private inRangePending = 0;

  constructor(options: AlignerOptions = {}) {
    this.window = Math.max(1, options.window ?? 500);
    this.ignored = new Set(options.ignoredHeaders ?? MM2_ADDED_HEADERS);
    this.compacted = options.compacted ?? false;
  }

  addSource(records: readonly ComparedRecord[], inRange: boolean): void {
    for (const record of records) this.source.push({ record, inRange });
    if (inRange) this.inRangePending += records.length;
  }

  addTarget(records: readonly ComparedRecord[]): void {
    this.target.pushAll(records);
  }

  get bufferedSource(): number {
    return this.source.length;
  }

  get bufferedTarget(): number {
    return this.target.length;
  }

  /** Offset of the newest source record of the range resolved so far. */
  lastResolvedSourceOffset: number | null = null;

  get lastBufferedSourceOffset(): number | null {
    const last = this.source.at(this.source.length - 1);
    return last?.inRange ? last.record.offset : null;
  }

  /** Source records of the range not resolved yet. */
  get unresolvedInRange(): number {
    return this.inRangePending;
  }

  /** Whether a side holds more than the look-ahead window: no need to read more of it to decide. */
  full(side: 'source' | 'target'): boolean {
    return (side === 'source' ? this.source.length : this.target.length) > this.window;
  }

  /**
   * Resolves the buffered records as far as they allow. `sourceFinal`/`targetFinal`: no more records
   * will come on that side, so an absent match is known to be absent.
   */
  align(sourceFinal: boolean, targetFinal: boolean): void {
    for (;;) {
      const s = this.source.at(0);
      const t = this.target.at(0);
      if (s === undefined && t === undefined) return;
      if (s === undefined) {
        if (!sourceFinal) return;
        this.extra(this.target.shift()!, null);
        continue;
      }
      if (t === undefined) {
        if (!targetFinal) return;
        this.missing(this.source.shift()!, null);
        continue;
      }
      if (sameRecord(s.record, t, this.ignored)) {
        this.match();
        continue;
      }
      const inTarget = this.find(this.target.length, (i) =>
        sameRecord(s.record, this.target.at(i)!, this.ignored),
      );
      const inSource = this.find(this.source.length, (i) =>
        sameRecord(this.source.at(i)!.record, t, this.ignored),
      );
      const targetKnown = inTarget !== null || targetFinal || this.target.length > this.window;
      const sourceKnown = inSource !== null || sourceFinal || this.source.length > this.window;
      if (inTarget !== null && (inSource === null || inTarget <= inSource)) {
        if (inSource === null && !sourceKnown) return;
        // The target has records before the copy of s: extra.
        for (let i = 0; i < inTarget; i++) this.extra(this.target.shift()!, s.record.offset);
        continue;
      }
      if (inSource !== null && (inTarget === null || inSource < inTarget)) {
        if (!targetKnown) return;
        for (let i = 0; i < inSource; i++) this.missing(this.source.shift()!, t.offset);
        continue;
      }
      if (!targetKnown || !sourceKnown) return;
      this.differ(this.source.shift()!, this.target.shift()!);
    }
  }

  result(): AlignmentResult {
    let { missing, extra } = this.counts;
    let first = this.first;
    let earliest: Pending | null = null;
    for (const list of this.pending.values())
      for (const p of list) {
        if (p.side === 'source') missing++;
        else extra++;
        if (earliest === null || p.seq < earliest.seq) earliest = p;
      }
    if (first === null && earliest !== null)
      first =
        earliest.side === 'source'
          ? { sourceOffset: earliest.offset, targetOffset: earliest.otherOffset }
          : { sourceOffset: earliest.otherOffset, targetOffset: earliest.offset };
    return { ...this.counts, missing, extra, firstDifference: first };
  }

  private find(length: number, matches: (i: number) => boolean): number | null {
    const limit = Math.min(length, this.window + 1);
    for (let i = 1; i < limit; i++) if (matches(i)) return i;
    return null;
  }

  private popped(entry: SourceEntry): void {
    if (entry.inRange) {
      this.lastResolvedSourceOffset = entry.record.offset;
      this.inRangePending--;
      this.counts.sourceRecords++;
    }
  }

  private match(): void {
    const s = this.source.shift()!;
    const t = this.target.shift()!;
    this.popped(s);
    if (s.inRange) {
      this.counts.matched++;
      this.counts.targetRecords++;
    }
    this.supersede('source', s.record);
    this.supersede('target', t);
    this.recent.push(t);
    if (this.recent.length > this.window) this.recent.shift();
  }

  private missing(s: SourceEntry, targetOffset: number | null): void {
    this.popped(s);
    this.supersede('source', s.record);
    // Source records after the range that the target does not hold yet are not compared.
    if (!s.inRange) return;
    this.difference('source', s.record, targetOffset);
  }

  private extra(t: ComparedRecord, sourceOffset: number | null): void {
    this.counts.targetRecords++;
    if (this.recent.some((r) => sameRecord(r, t, this.ignored))) this.counts.duplicates++;
    this.supersede('target', t);
    this.difference('target', t, sourceOffset);
  }

  private differ(s: SourceEntry, t: ComparedRecord): void {
    this.popped(s);
    this.counts.targetRecords++;
    this.supersede('source', s.record);
    this.supersede('target', t);
    if (!s.inRange) {
      this.difference('target', t, s.record.offset);
      return;
    }
    if (this.compacted) {
      this.difference('source', s.record, t.offset);
      this.difference('target', t, s.record.offset);
      return;
    }
    this.counts.different++;
    this.first ??= { sourceOffset: s.record.offset, targetOffset: t.offset };
  }

  private difference(side: 'source' | 'target', record: ComparedRecord, otherOffset: number | null): void {
    if (this.compacted) {
      // A tombstone may be cleaned on one side only (delete.retention.ms).
      if (record.value === null) {
        this.counts.explainedByCompaction++;
        return;
      }
      const id = keyId(record.key);
      const list = this.pending.get(id) ?? [];
      list.push({ side, offset: record.offset, otherOffset, seq: this.seq++ });
      this.pending.set(id, list);
      return;
    }
    if (side === 'source') this.counts.missing++;
    else this.counts.extra++;
    this.first ??=
      side === 'source'
        ? { sourceOffset: record.offset, targetOffset: otherOffset }
        : { sourceOffset: otherOffset, targetOffset: record.offset };
  }

  /** On a compacted topic a newer record with the same key explains older differences on its side. */
  private supersede(side: 'source' | 'target', record: ComparedRecord): void {
    if (!this.compacted || record.key === null) return;
    const id = keyId(record.key);
    const list = this.pending.get(id);
    if (!list) return;
    const left = list.filter((p) => p.side !== side || p.offset >= record.offset);
    this.counts.explainedByCompaction += list.length - left.length;
    if (left.length === 0) this.pending.delete(id);
    else this.pending.set(id, left);
  }
}
