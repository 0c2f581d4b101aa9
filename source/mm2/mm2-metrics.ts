/**
 * Normalizes the MirrorMaker 2 metrics found in a Prometheus scrape, whatever the exporter's rules.
 *
 * Naming variants handled (matched case-insensitively on the sample name):
 * - Strimzi-style rules, lowercased: `kafka_connect_mirror_mirrorsourceconnector_record_count`
 * - default export (no rules), case kept: `kafka_connect_mirror_MirrorSourceConnector_record_count`
 * - hand-written rules seen in the wild: `kafka_connect_mirror_source_connector_record_count`
 *   sometimes with a `destination` label instead of `target`
 * - the `records_count` spelling, `_total` counter suffixes (`_created` samples ignored)
 * - old exporters: MBean label order, trailing comma (the parser deals with it)
 * - tag values quoted by Kafka's JMX sanitizer (`"\"A->B.MirrorSourceConnector\""`): quotes stripped
 *
 * Gauges that are NaN (no samples in the window) or infinite become undefined. Unknown families and
 * samples without the labels needed to place them are ignored.
 *
 * `record-age-ms` and `replication-latency-ms` without a suffix keep the value of the last record
 * forever (an idle partition shows its last age); the `-max`/`-avg` ones are windowed (Kafka's sampled
 * stats, 2 samples of 30 s by default) and NaN when no record fell in the window. `windowed` tells a
 * NaN window (idle) from an exporter that does not export those attributes at all.
 */
import type { Mm1Metrics } from './mm1-metrics.js';
import type { ParsedMetrics, Sample } from './prometheus.js';

export interface PartitionMetrics {
  source?: string;
  target?: string;
  /** Target-side topic name, as labelled by MM2. */
  topic: string;
  partition: number;
  recordCount?: number;
  recordAgeMs?: number;
  recordAgeMsMax?: number;
  recordAgeMsAvg?: number;
  replicationLatencyMs?: number;
  replicationLatencyMsMax?: number;
  replicationLatencyMsAvg?: number;
  /** The scrape had a windowed age or latency attribute (`-max`/`-avg`) for this partition, NaN or not. */
  windowed?: boolean;
}

export interface ConnectorStatusMetric {
  connector: string;
  /** Absent for the connector-level status. */
  task?: number;
  /** Lowercased Connect state: running, paused, stopped, failed, unassigned, restarting, destroyed. */
  status: string;
}

export interface Mm2Metrics {
  partitions: PartitionMetrics[];
  connectors: ConnectorStatusMetric[];
  /** Sorted names of every MM2/Connect family found, to tell the operator which ones exist. */
  families: string[];
  /** Sum of recordCount over all partitions (cumulative records replicated). */
  totalRecordCount: number;
  /** MirrorMaker 1's producer and consumer metrics, read when the mirror is MM1. */
  mm1?: Mm1Metrics;
}

type PartitionField = Exclude<
  keyof PartitionMetrics,
  'source' | 'target' | 'topic' | 'partition' | 'windowed'
>;

const WINDOWED_FIELDS: ReadonlySet<PartitionField> = new Set([
  'recordAgeMsMax',
  'recordAgeMsAvg',
  'replicationLatencyMsMax',
  'replicationLatencyMsAvg',
]);

/**
 * The attributes mirrorwatch shows. The rest (rates, byte counts, `_min`, and the checkpoint
 * connector's latency per group partition, 250,000 samples at 1,000 groups) are skipped unparsed.
 */
const SOURCE_ATTRIBUTES: Record<string, PartitionField> = {
  record_count: 'recordCount',
  record_age_ms: 'recordAgeMs',
  record_age_ms_max: 'recordAgeMsMax',
  record_age_ms_avg: 'recordAgeMsAvg',
  replication_latency_ms: 'replicationLatencyMs',
  replication_latency_ms_max: 'replicationLatencyMsMax',
  replication_latency_ms_avg: 'replicationLatencyMsAvg',
};

const MIRROR_SOURCE_NAME = /^kafka_connect_mirror_(?:mirrorsourceconnector|source_connector)_(.+)$/i;

const STATUS_NAME = /_status(?:_info)?$/i;

/** Families worth listing to the operator: MM2's own and Kafka Connect's. */
const RELATED_FAMILY = /^kafka_connect_/i;

/** Strips the quotes Kafka's JMX sanitizer (ObjectName.quote) puts around unusual tag values. */
export function unquoteTag(value: string): string {
  if (value.length < 2 || value[0] !== '"' || value[value.length - 1] !== '"') return value;
  const inner = value.slice(1, -1);
  if (!inner.includes('\\')) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && i + 1 < inner.length) {
      const n = inner[++i];
      out += n === 'n' ? '\n' : n;
    } else {
      out += c;
    }
  }
  return out;
}

/** Label lookup by case-insensitive name, the first of one or two candidate names, quotes stripped. */
function label(sample: Sample, name: string, otherName?: string): string | undefined {
  const direct = sample.labels[name] ?? (otherName === undefined ? undefined : sample.labels[otherName]);
  if (direct !== undefined) return unquoteTag(direct);
  for (const key in sample.labels) {
    const k = key.toLowerCase();
    if (k === name || k === otherName) return unquoteTag(sample.labels[key] as string);
  }
  return undefined;
}

function intLabel(sample: Sample, name: string, otherName?: string): number | undefined {
  const raw = label(sample, name, otherName);
  return raw === undefined ? undefined : partitionNumber(raw);
}

/** Digits only (blanks around allowed), as a safe integer; a scrape has one per sample. */
function partitionNumber(raw: string): number | undefined {
  let start = 0;
  let end = raw.length;
  while (start < end && raw.charCodeAt(start) <= 0x20) start++;
  while (end > start && raw.charCodeAt(end - 1) <= 0x20) end--;
  if (start === end) return undefined;
  for (let i = start; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const n = Number(start === 0 && end === raw.length ? raw : raw.slice(start, end));
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Turns an attribute suffix into the canonical form used as a key above. */
function normalizeAttribute(raw: string): string | undefined {
  let a = raw.toLowerCase().replace(/-/g, '_');
  if (a.endsWith('_created')) return undefined;
  if (a.endsWith('_total')) a = a.slice(0, -'_total'.length);
  return a.replace(/^records_/, 'record_').replace(/^bytes_/, 'byte_');
}

type SampleKind = { type: 'partition'; field: PartitionField } | { type: 'status' } | { type: 'other' };

const OTHER: SampleKind = { type: 'other' };

function classify(name: string): SampleKind {
  const m = MIRROR_SOURCE_NAME.exec(name);
  if (m) {
    const attribute = normalizeAttribute(m[1]!);
    const field = attribute === undefined ? undefined : SOURCE_ATTRIBUTES[attribute];
    return field ? { type: 'partition', field } : OTHER; // e.g. *_min, or an attribute a newer Kafka added
  }
  return RELATED_FAMILY.test(name) && STATUS_NAME.test(name) ? { type: 'status' } : OTHER;
}

/** Classification per sample name: a scrape repeats a few dozen names tens of thousands of times. */
const kinds = new Map<string, SampleKind>();
const MAX_KINDS = 10_000;

function kindOf(name: string): SampleKind {
  let kind = kinds.get(name);
  if (kind === undefined) {
    kind = classify(name);
    if (kinds.size >= MAX_KINDS) kinds.clear();
    kinds.set(name, kind);
  }
  return kind;
}

/** The samples extractMm2Metrics reads: a scrape parser may skip every other one unparsed. */
export function isMm2SampleName(name: string): boolean {
  return kindOf(name).type !== 'other';
}

function finite(v: number): number | undefined {
  return Number.isFinite(v) ? v : undefined;
}

export function extractMm2Metrics(parsed: ParsedMetrics): Mm2Metrics {
  const partitions = new PartitionMetricRows();
  const connectors = new Map<string, ConnectorStatusMetric>();
  const families = new Set<string>();
  for (const family of parsed.families.values()) {
    if (RELATED_FAMILY.test(family.name)) families.add(family.name);
    for (const sample of family.samples) {
      const kind = kindOf(sample.name);
      if (kind.type === 'partition') addPartitionSample(partitions, sample, kind.field);
      else if (kind.type === 'status') addStatusSample(connectors, sample);
    }
  }

  const partitionList = partitions.rows.sort(
    (a, b) =>
      cmp(a.source, b.source) ||
      cmp(a.target, b.target) ||
      cmp(a.topic, b.topic) ||
      a.partition - b.partition,
  );
  const connectorList = [...connectors.values()].sort(
    (a, b) => cmp(a.connector, b.connector) || (a.task ?? -1) - (b.task ?? -1),
  );
  let totalRecordCount = 0;
  for (const p of partitionList) if (p.recordCount !== undefined) totalRecordCount += p.recordCount;

  return {
    partitions: partitionList,
    connectors: connectorList,
    families: [...families].sort(),
    totalRecordCount,
  };
}

function cmp(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Partition rows by source, target, topic and partition number. Nested maps of the label strings rather
 * than one key string per sample: the parser hands the same string for a label value that repeats, so
 * each lookup hashes nothing new (a scrape of 5,000 partitions has 50,000 samples).
 */
class PartitionMetricRows {
  private readonly byFlow = new Map<
    string | undefined,
    Map<string | undefined, Map<string, PartitionMetrics[]>>
  >();
  readonly rows: PartitionMetrics[] = [];

  row(
    source: string | undefined,
    target: string | undefined,
    topic: string,
    partition: number,
  ): PartitionMetrics {
    let byTarget = this.byFlow.get(source);
    if (!byTarget) {
      byTarget = new Map();
      this.byFlow.set(source, byTarget);
    }
    let byTopic = byTarget.get(target);
    if (!byTopic) {
      byTopic = new Map();
      byTarget.set(target, byTopic);
    }
    let byPartition = byTopic.get(topic);
    if (!byPartition) {
      byPartition = [];
      byTopic.set(topic, byPartition);
    }
    // partition numbers are small and dense; a sparse array beyond that would be a dictionary anyway
    let row = byPartition[partition];
    if (!row) {
      row = { topic, partition };
      if (source !== undefined) row.source = source;
      if (target !== undefined) row.target = target;
      byPartition[partition] = row;
      this.rows.push(row);
    }
    return row;
  }
}

function addPartitionSample(into: PartitionMetricRows, sample: Sample, field: PartitionField): void {
  const topic = label(sample, 'topic');
  const partition = intLabel(sample, 'partition');
  if (topic === undefined || partition === undefined) return;
  const row = into.row(label(sample, 'source'), label(sample, 'target', 'destination'), topic, partition);
  if (WINDOWED_FIELDS.has(field)) row.windowed = true;
  const v = finite(sample.value);
  if (v !== undefined) row[field] = v;
}

/**
 * `kafka_connect_connector_status{connector, task?, status} 1` (Strimzi) and look-alikes such as
 * `kafka_connect_connector_task_metrics_status` / `kafka_connect_connector_metrics_status`: a sample
 * with value 1 says "this connector (task) is in that status"; other values are ignored.
 */
function addStatusSample(into: Map<string, ConnectorStatusMetric>, sample: Sample): void {
  if (sample.value !== 1) return;
  const connector = label(sample, 'connector');
  const status = label(sample, 'status', 'state');
  if (connector === undefined || status === undefined || status === '') return;
  const rawTask = label(sample, 'task', 'task_id');
  let task: number | undefined;
  if (rawTask !== undefined) {
    task = intLabel(sample, 'task', 'task_id');
    if (task === undefined) return;
  }
  const row: ConnectorStatusMetric = { connector, status: status.toLowerCase() };
  if (task !== undefined) row.task = task;
  into.set(JSON.stringify([connector, task ?? null]), row);
}
