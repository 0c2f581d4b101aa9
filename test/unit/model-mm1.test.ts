import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../source/config/errors.js';
import { compileMm1Include, resolveMirrorSettings } from '../../source/config/mirror-kind.js';
import { extractMm1Metrics } from '../../source/mm2/mm1-metrics.js';
import { parsePrometheusText } from '../../source/mm2/prometheus.js';
import { buildMirrorTopics } from '../../source/model/mirror.js';
import { describeMove, groupMoves, mm1Committed, targetStart } from '../../source/model/mm1.js';
import { assess } from '../../source/model/verdict.js';
import type { GroupInfo, TopicInfo } from '../../source/monitor/snapshot.js';
import { ASCII_GLYPHS } from '../../source/ui/glyphs.js';
import { mirrorRows } from '../../source/ui/panes/mirror-model.js';
import { fixture } from '../helpers/fixtures.js';
import { NO_TRANSLATIONS, partitionsOf } from '../helpers/group-partitions.js';
import { clusterView, health, snapshot } from '../helpers/snapshot.js';

const identity = { kind: 'identity' as const, separator: '.' };

function topic(name: string, earliest: number, latest: number): TopicInfo {
  return {
    name,
    internal: false,
    replicationFactor: 1,
    partitions: [{ partition: 0, leader: 1, replicas: 1, isr: 1, earliest, latest }],
    records: latest - earliest,
  };
}

const cluster = clusterView;

function group(name: string, committed: Record<string, number | null>): GroupInfo {
  return {
    cluster: 'source',
    group: name,
    state: 'Stable',
    protocolType: 'consumer',
    protocol: 'classic',
    members: 1,
    partitions: partitionsOf(
      Object.entries(committed).map(([t, c]) => ({
        topic: t,
        partition: 0,
        committed: c,
        logEnd: null,
        belowLogStart: false,
        lag: null,
        negative: false,
        owner: null,
      })),
    ),
    totalLag: null,
    translations: NO_TRANSLATIONS,
  };
}

describe('MirrorMaker 1 settings', () => {
  it('defaults to MM2; --mm1-group and --mm1-include imply MM1 with group mirrormaker', () => {
    assert.equal(resolveMirrorSettings({}).kind, 'mm2');
    assert.deepEqual(resolveMirrorSettings({ mm1Group: 'mm' }).mm1, { group: 'mm', include: null });
    assert.deepEqual(resolveMirrorSettings({ mm1Include: 'a|b' }).mm1, {
      group: 'mirrormaker',
      include: 'a|b',
    });
    assert.equal(resolveMirrorSettings({}, { group: 'mirrormaker', include: 'topic1' }).kind, 'mm1');
    assert.equal(resolveMirrorSettings({ mirror: 'mm2' }, { group: 'g', include: null }).kind, 'mm2');
    assert.equal(resolveMirrorSettings({ autoOffsetReset: 'earliest' }).autoOffsetReset, 'earliest');
  });

  it('refuses contradictions and bad values with one line', () => {
    assert.throws(() => resolveMirrorSettings({ mirror: 'mm2', mm1Group: 'g' }), ConfigError);
    assert.throws(() => resolveMirrorSettings({ mirror: 'mm3' }), /--mirror takes mm2 or mm1/);
    assert.throws(() => resolveMirrorSettings({ autoOffsetReset: 'smallest' }), /earliest or latest/);
    assert.throws(() => resolveMirrorSettings({ mm1Include: '(' }), /bad --mm1-include '\('/);
  });

  it('reads the include as MM1 does: whole-name Java regex, commas as alternatives', () => {
    const regex = compileMm1Include('topic1,topic2');
    assert.ok(regex.test('topic1') && regex.test('topic2'));
    assert.equal(regex.test('topic10'), false);
    assert.ok(compileMm1Include('topic.*').test('topic10'));
  });
});

describe('MM1 replication lag and mirrors', () => {
  const source = cluster('source', [
    topic('topic1', 0, 300),
    topic('topic2', 0, 20_000),
    topic('other', 0, 5),
  ]);
  const target = cluster('target', [topic('topic1', 0, 290)]);
  const mm1 = group('mirrormaker', { topic1: 290, topic2: null });
  const topics = buildMirrorTopics({
    source,
    target,
    sourceAlias: 'old',
    policy: identity,
    positions: null,
    metricPartitions: [],
    mm1: { committed: mm1Committed(mm1), include: compileMm1Include('topic1|topic2') },
  });

  it('keeps names, mirrors only the included topics, lag = log end − committed', () => {
    assert.deepEqual(
      topics.map((t) => [t.source, t.target, t.state, t.lag]),
      [
        ['topic1', 'topic1', 'mirroring', 10],
        ['topic2', 'topic2', 'missing', 20_000],
      ],
    );
    assert.equal(topics[0]?.partitions[0]?.mm1Committed, 290);
    assert.equal(topics[1]?.partitions[0]?.mm1Committed, null);
  });

  it('is not degraded without heartbeats or MM2 connectors; a group without members is', () => {
    const base = snapshot({
      heartbeats: [],
      connectors: [],
      mirror: {
        kind: 'mm1',
        mm1: { group: 'mirrormaker', include: null, state: 'Stable', members: 2, committedPartitions: 2 },
        topics: [],
        totalLag: 0,
        positionsFrom: 'group mirrormaker on old',
      },
    });
    base.health['mm2-internal'] = { ...health('mm2-internal', false), configured: false };
    assert.deepEqual(assess(base), { verdict: 'healthy', problems: [] });
    const stopped = {
      ...base,
      mirror: { ...base.mirror, mm1: { ...base.mirror.mm1!, members: 0, state: 'Empty' } },
    };
    assert.deepEqual(assess(stopped).problems, [
      'MirrorMaker 1 group mirrormaker has no members (Empty): MM1 is not running',
    ]);
  });
});

describe('the Mirror pane with MM1', () => {
  it('shows MM1 group, include, lag note and producer metrics instead of heartbeats and connectors', () => {
    const s = snapshot({
      heartbeats: [],
      connectors: [],
      mirror: {
        kind: 'mm1',
        mm1: {
          group: 'mirrormaker',
          include: 'topic1|topic2',
          state: 'Empty',
          members: 0,
          committedPartitions: 2,
        },
        topics: [],
        totalLag: 7,
        positionsFrom: 'group mirrormaker on old',
      },
      metrics: {
        partitions: [],
        connectors: [],
        families: [],
        totalRecordCount: 0,
        mm1: {
          recordsSent: 20300,
          recordErrors: 0,
          recordsSentByTopic: {},
          commits: 4,
          consumerLag: [],
          families: [],
        },
      },
    });
    const text = mirrorRows(s, s.takenAtMs, 120, ASCII_GLYPHS)
      .map((r) => r.segments.map((seg) => seg.text).join(''))
      .join('\n');
    assert.match(text, /MIRRORMAKER 1/);
    assert.match(text, /mirrormaker Empty, 0 members/);
    assert.match(text, /topic1\|topic2/);
    assert.match(text, /replication lag\s+7 MM1 commits its position every offset\.commit\.interval\.ms/);
    assert.match(text, /records sent\s+20,?300, send errors 0, commits 4/);
    assert.doesNotMatch(text, /HEARTBEATS|CONNECTORS/);
  });
});

describe('a group moved to the target (MM1 translates no offsets)', () => {
  const at = (reset: 'earliest' | 'latest', committed: number | null, mirrorNext: number | null = 300) =>
    targetStart({ committed, mirrorNext, targetEarliest: 0, targetLatest: 300, reset });

  it('latest skips what was mirrored and not read; earliest re-reads what was read', () => {
    assert.deepEqual(at('latest', 100), { startsAt: 300, reread: 0, skipped: 200 });
    assert.deepEqual(at('earliest', 100), { startsAt: 0, reread: 100, skipped: 0 });
  });

  it('a group ahead of the mirror meets records again as MM1 copies them', () => {
    assert.deepEqual(at('latest', 320), { startsAt: 300, reread: 20, skipped: 0 });
    assert.deepEqual(at('earliest', 320), { startsAt: 0, reread: 320, skipped: 0 });
  });

  it('is unknown without a committed offset or MM1 position', () => {
    assert.deepEqual(at('latest', null), { startsAt: 300, reread: null, skipped: null });
    assert.deepEqual(at('earliest', 5, null), { startsAt: 0, reread: null, skipped: null });
  });

  it('sums per group over the mirrored topics only, and says it in one phrase', () => {
    const mirrors = [
      {
        source: 'topic1',
        partitions: [{ partition: 0, targetEarliest: 0, targetLatest: 300, mm1Committed: 300 }],
      },
    ];
    const moves = groupMoves(
      [group('reader', { topic1: 100, unmirrored: 3 }), group('idle', { unmirrored: 1 })],
      mirrors,
      'latest',
    );
    assert.equal(moves.length, 1);
    assert.deepEqual([moves[0]?.group, moves[0]?.skipped, moves[0]?.reread], ['reader', 200, 0]);
    assert.equal(describeMove(moves[0]!), 'latest: skips 200');
    assert.equal(
      describeMove({ reset: 'earliest', reread: 0, skipped: 0 }),
      'earliest: no record re-read or skipped',
    );
  });
});

describe('MM1 metrics from the JMX exporter (page captured from the lab: Kafka 2.8.2 MM1, exporter 1.0.1)', () => {
  it("reads records sent, errors, commits and consumer lag; the exporter drops gauges' _total", () => {
    const m = extractMm1Metrics(parsePrometheusText(fixture('mm1-exporter-2.8.2.txt')));
    assert.equal(m.recordsSent, 20_300);
    assert.equal(m.recordErrors, 0);
    assert.deepEqual(m.recordsSentByTopic, { topic1: 300, topic2: 20_000 });
    assert.equal(m.commits, 2);
    assert.deepEqual(m.consumerLag, [
      { topic: 'topic1', partition: 0, lag: 0 },
      { topic: 'topic2', partition: 0, lag: 0 },
    ]);
  });

  it('also reads the default export names with _total', () => {
    const m = extractMm1Metrics(
      parsePrometheusText('kafka_producer_producer_metrics_record_send_total{client_id="p"} 7.0\n'),
    );
    assert.equal(m.recordsSent, 7);
    assert.equal(m.recordErrors, null);
  });
});
