import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveSecurity } from '../../source/config/client-properties.js';
import { ConfigError } from '../../source/config/errors.js';
import {
  groupSelected,
  type Mm2Flow,
  parseMm2Config,
  type ReplicationPolicy,
  remoteTopicName,
  sourceTopicName,
  topicSelected,
} from '../../source/config/mm2-config.js';
import { PropertiesError } from '../../source/config/properties.js';
import { fixture } from '../helpers/fixtures.js';

const DEFAULT_POLICY: ReplicationPolicy = { kind: 'default', separator: '.' };
const IDENTITY_POLICY: ReplicationPolicy = { kind: 'identity', separator: '.' };

function configError(text: string): string {
  try {
    parseMm2Config(text, 'test.properties');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal(error.name, 'ConfigError');
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

function flow(overrides: Partial<Mm2Flow>): Mm2Flow {
  return {
    source: 'a',
    target: 'b',
    topics: ['.*'],
    topicsExclude: [],
    groups: ['.*'],
    groupsExclude: [],
    emitHeartbeats: true,
    emitCheckpoints: true,
    syncGroupOffsets: false,
    ...overrides,
  };
}

const BASE = 'clusters = a, b\na.bootstrap.servers = a:9092\nb.bootstrap.servers = b:9092\n';

describe('parseMm2Config on the RDC/ORD geo-replication seed', () => {
  const config = parseMm2Config(fixture('mm2-seed-rdc-ord.properties'));
  const [rdcToOrd] = config.flows;

  it('reads both clusters with their three brokers each', () => {
    assert.deepEqual([...config.clusters.keys()], ['rdc', 'ord']);
    assert.deepEqual(config.clusters.get('rdc')?.bootstrap, [
      'node001.dev.dpl.kafka.cnvr.net:9092',
      'node002.dev.dpl.kafka.cnvr.net:9092',
      'node003.dev.dpl.kafka.cnvr.net:9092',
    ]);
    assert.deepEqual(config.clusters.get('ord')?.bootstrap, [
      'node004.dev.dpl.kafka.cnvr.net:9092',
      'node005.dev.dpl.kafka.cnvr.net:9092',
      'node006.dev.dpl.kafka.cnvr.net:9092',
    ]);
    assert.deepEqual(config.clusters.get('rdc')?.client, {});
  });

  it('has exactly the rdc->ord flow with its topic list and legacy blacklists', () => {
    assert.equal(config.flows.length, 1);
    assert.deepEqual(rdcToOrd, {
      source: 'rdc',
      target: 'ord',
      topics: ['apache-logs', 'DmmAccess'],
      // The .properties escapes `\-` and `\.` lose their backslash before MM2 ever sees the regex.
      topicsExclude: ['.*[-.]internal', '.*.replica', '__consumer_offsets'],
      groups: ['.*'],
      groupsExclude: ['console-consumer-.*', 'connect-.*', '__.*'],
      emitHeartbeats: true,
      emitCheckpoints: true,
      syncGroupOffsets: false,
      replicationFactor: 3,
    });
  });

  it('uses the default policy and keeps offset syncs on the source', () => {
    assert.deepEqual(config.policy, DEFAULT_POLICY);
    assert.equal(config.offsetSyncsTopicLocation, 'source');
    assert.equal(remoteTopicName(config.policy, 'rdc', 'apache-logs'), 'rdc.apache-logs');
  });

  it('selects exactly the two listed topics', () => {
    assert.equal(topicSelected(rdcToOrd!, 'apache-logs'), true);
    assert.equal(topicSelected(rdcToOrd!, 'DmmAccess'), true);
    assert.equal(topicSelected(rdcToOrd!, 'dmmaccess'), false);
    assert.equal(topicSelected(rdcToOrd!, 'apache-logs-2'), false);
    assert.equal(topicSelected(rdcToOrd!, '__consumer_offsets'), false);
  });

  it('excludes the blacklisted console and connect groups', () => {
    assert.equal(groupSelected(rdcToOrd!, 'apache-logs-indexer'), true);
    assert.equal(groupSelected(rdcToOrd!, 'console-consumer-4242'), false);
    assert.equal(groupSelected(rdcToOrd!, 'connect-mm2'), false);
  });
});

describe('parseMm2Config on the Charmed Kafka migration seed', () => {
  const config = parseMm2Config(fixture('mm2-seed-charmed.properties'));

  it('keeps $VAR placeholders as literal text', () => {
    assert.deepEqual(config.clusters.get('old')?.bootstrap, ['$OLD_SERVERS']);
    assert.deepEqual(config.clusters.get('new')?.bootstrap, ['$NEW_SERVERS']);
  });

  it('merges the global SCRAM settings with each cluster own JAAS line', () => {
    assert.deepEqual(config.clusters.get('old')?.client, {
      'sasl.mechanism': 'SCRAM-SHA-512',
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.jaas.config': '$OLD_SASL_JAAS_CONFIG',
    });
    assert.equal(config.clusters.get('new')?.client['sasl.jaas.config'], '$NEW_SASL_JAAS_CONFIG');
  });

  it('enables only old->new, with every topic and group and offset sync', () => {
    assert.deepEqual(
      config.flows.map((f) => [f.source, f.target, f.topics, f.groups, f.syncGroupOffsets]),
      [['old', 'new', ['.*'], ['.*'], true]],
    );
  });

  it('reads the identity replication policy', () => {
    assert.deepEqual(config.policy, IDENTITY_POLICY);
    assert.equal(remoteTopicName(config.policy, 'old', 'NEW-TOPIC'), 'NEW-TOPIC');
  });

  it('refuses to connect with an unexpanded JAAS placeholder', () => {
    assert.throws(() => resolveSecurity(config.clusters.get('old')!.client), {
      name: 'ConfigError',
      message: 'sasl.jaas.config is an unexpanded shell variable; expand it before starting mirrorwatch',
    });
  });
});

describe('parseMm2Config on variants', () => {
  it('reads Strimzi-style aliases, a continued bootstrap list and per-cluster TLS overrides', () => {
    const config = parseMm2Config(fixture('mm2-strimzi-names.properties'));
    assert.deepEqual(config.clusters.get('my-target-cluster')?.bootstrap, [
      'my-target-cluster-kafka-bootstrap.kafka.svc:9093',
      'my-target-cluster-kafka-0.my-target-cluster-kafka-brokers.kafka.svc:9093',
    ]);
    assert.deepEqual(config.clusters.get('my-source-cluster')?.client, {
      'security.protocol': 'SSL',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': '/opt/kafka/cluster-ca-certs/my-source-cluster-cluster-ca-cert/ca.crt',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': '/opt/kafka/mirrormaker-user/user.pem',
    });
    const target = config.clusters.get('my-target-cluster')?.client;
    assert.equal(
      target?.['ssl.truststore.location'],
      '/opt/kafka/cluster-ca-certs/my-target-cluster-cluster-ca-cert/ca.crt',
    );
    assert.equal(target?.['ssl.endpoint.identification.algorithm'], '');
    assert.equal(target?.['ssl.keystore.location'], '/opt/kafka/mirrormaker-user/user.pem');
    assert.deepEqual(
      config.flows.map((f) => `${f.source}->${f.target} sync=${f.syncGroupOffsets}`),
      ['my-source-cluster->my-target-cluster sync=true'],
    );
    assert.equal(config.policy.kind, 'identity');
    assert.equal(config.offsetSyncsTopicLocation, 'target');
  });

  it('reads colon separators, a continued JAAS line and a per-cluster JAAS override', () => {
    const config = parseMm2Config(fixture('mm2-sasl-ssl-scram.properties'));
    const legacy = config.clusters.get('legacy')!.client;
    const cloud = config.clusters.get('cloud')!.client;
    assert.equal(
      legacy['sasl.jaas.config'],
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2-legacy" password="legacy-s3cret";',
    );
    assert.equal(cloud['sasl.mechanism'], 'SCRAM-SHA-512');
    assert.equal(cloud['ssl.truststore.type'], 'PEM');
    assert.equal(cloud['ssl.truststore.location'], '/etc/mirrormaker/cloud-ca.pem');
    assert.match(cloud['sasl.jaas.config'] ?? '', /username="mm2-cloud"/);
    const [legacyToCloud] = config.flows;
    assert.deepEqual(legacyToCloud?.topics, ['orders', 'payments\\..*', 'audit-[0-9]+']);
    assert.deepEqual(legacyToCloud?.groups, ['orders-.*', 'billing']);
    assert.deepEqual(
      ['orders', 'payments.eu', 'paymentsXeu', 'audit-12', 'audit-x', 'orders-v2'].filter((t) =>
        topicSelected(legacyToCloud!, t),
      ),
      ['orders', 'payments.eu', 'audit-12'],
    );
    assert.deepEqual(
      ['orders-reader', 'billing', 'billing-2'].filter((g) => groupSelected(legacyToCloud!, g)),
      ['orders-reader', 'billing'],
    );
  });

  it('resolves the SCRAM fixture clusters, whose JAAS quotes are escaped twice', () => {
    const config = parseMm2Config(fixture('mm2-sasl-ssl-scram.properties'));
    const ca = fixture('props-ca.pem');
    const security = resolveSecurity(config.clusters.get('cloud')!.client, (path) => {
      assert.equal(path, '/etc/mirrormaker/cloud-ca.pem');
      return ca;
    });
    assert.deepEqual(security, {
      protocol: 'SASL_SSL',
      sasl: { mechanism: 'scram-sha-512', username: 'mm2-cloud', password: 'cl0ud "quoted" pass' },
      ssl: { ca: [ca.trim()], rejectUnauthorized: true, checkHostname: true },
    });
  });

  it('reports a JAAS line whose quotes were escaped only once, as .properties eats one backslash', () => {
    const config = parseMm2Config(
      `${BASE}a->b.enabled = true\nsecurity.protocol = SASL_PLAINTEXT\nsasl.mechanism = PLAIN\n` +
        'sasl.jaas.config = org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p \\"q\\" r";\n',
    );
    assert.throws(() => resolveSecurity(config.clusters.get('a')!.client), {
      message: 'sasl.jaas.config is malformed: expected name=value options',
    });
  });

  it('reads a default policy with a custom separator and per-flow checkpoint overrides', () => {
    const config = parseMm2Config(fixture('mm2-default-policy-separator.properties'));
    assert.deepEqual(config.policy, { kind: 'default', separator: '_' });
    assert.deepEqual(
      config.flows.map((f) => [`${f.source}->${f.target}`, f.emitCheckpoints, f.syncGroupOffsets]),
      [
        ['east->west', false, true],
        ['west->east', true, true],
      ],
    );
  });

  it('resolves include and exclude lists per flow, preferring topics.exclude over a legacy blacklist', () => {
    const config = parseMm2Config(fixture('mm2-exclude-lists.properties'));
    const [toBackup, toAudit] = config.flows;
    assert.deepEqual(toBackup, {
      source: 'primary',
      target: 'backup',
      topics: ['app\\..*', 'logs-.*'],
      topicsExclude: ['.*\\.tmp', 'logs-debug'],
      groups: ['.*'],
      groupsExclude: ['test-.*'],
      emitHeartbeats: true,
      emitCheckpoints: true,
      syncGroupOffsets: false,
      // Not set in the file: MM2's default.
      replicationFactor: 2,
    });
    assert.equal(toAudit?.target, 'audit');
    assert.deepEqual(toAudit?.topics, ['audit\\..*']);
    // As in Kafka's translateDeprecatedConfigs: once topics.exclude is set anywhere, *.blacklist is ignored.
    assert.deepEqual(toAudit?.topicsExclude, ['.*\\.tmp', 'logs-debug']);
    assert.deepEqual(toAudit?.groups, ['auditor']);
    assert.deepEqual(toAudit?.groupsExclude, []);
    assert.deepEqual(
      ['app.users', 'app.users.tmp', 'logs-info', 'logs-debug', 'metrics'].filter((t) =>
        topicSelected(toBackup!, t),
      ),
      ['app.users', 'logs-info'],
    );
    assert.equal(groupSelected(toBackup!, 'test-runner'), false);
    assert.equal(groupSelected(toBackup!, 'console-consumer-1'), true);
    assert.equal(groupSelected(toAudit!, 'auditor'), true);
  });

  it('reads continuation lines in the cluster list, bootstrap list and topic list', () => {
    const config = parseMm2Config(fixture('mm2-continuation.properties'));
    assert.deepEqual([...config.clusters.keys()], ['alpha', 'beta']);
    assert.deepEqual(config.clusters.get('alpha')?.bootstrap, ['alpha-1:9092', 'alpha-2:9092']);
    assert.deepEqual(config.flows[0]?.topics, ['first', 'second']);
  });

  it('reports the line of a malformed escape in an MM2 file without echoing the value', () => {
    assert.throws(
      () => parseMm2Config(fixture('mm2-malformed.properties'), 'mm2.properties'),
      (error: unknown) =>
        error instanceof PropertiesError &&
        error.message === 'mm2.properties line 10: malformed \\uXXXX escape' &&
        !error.message.includes('pa'),
    );
  });

  it('falls back to a global bootstrap.servers and uses the global flag when the flow does not override it', () => {
    const config = parseMm2Config(
      'clusters = a, b\nbootstrap.servers = shared:9092\nb.bootstrap.servers = b:9092\na->b.enabled = true\nemit.heartbeats.enabled = false\n',
    );
    assert.deepEqual(config.clusters.get('a')?.bootstrap, ['shared:9092']);
    assert.deepEqual(config.clusters.get('b')?.bootstrap, ['b:9092']);
    assert.equal(config.flows[0]?.emitHeartbeats, false);
  });

  it('accepts booleans in any case and with surrounding spaces', () => {
    const config = parseMm2Config(`${BASE}a->b.enabled = TRUE  \nb->a.enabled = False\n`);
    assert.deepEqual(
      config.flows.map((f) => `${f.source}->${f.target}`),
      ['a->b'],
    );
  });

  it('reads the replication policy by simple class name and offset-syncs location', () => {
    const config = parseMm2Config(
      `${BASE}a->b.enabled=true\nreplication.policy.class=IdentityReplicationPolicy\noffset-syncs.topic.location=target\n`,
    );
    assert.deepEqual(config.policy, IDENTITY_POLICY);
    assert.equal(config.offsetSyncsTopicLocation, 'target');
  });
});

describe('parseMm2Config errors', () => {
  it('needs clusters', () => {
    assert.equal(
      configError('a.bootstrap.servers = a:9092\n'),
      'test.properties: clusters is not set (expected e.g. clusters = source, target)',
    );
    assert.match(configError('clusters = \n'), /clusters is not set/);
  });

  it('needs bootstrap.servers for every cluster', () => {
    assert.equal(
      configError('clusters = a, b\na.bootstrap.servers = a:9092\na->b.enabled = true\n'),
      'test.properties: cluster b has no b.bootstrap.servers',
    );
  });

  it('needs at least one enabled flow', () => {
    assert.equal(
      configError(`${BASE}a->b.enabled = false\n`),
      'test.properties: no replication flow is enabled (expected e.g. a->b.enabled = true)',
    );
  });

  it('rejects an enabled flow naming an undeclared cluster', () => {
    assert.equal(
      configError(`${BASE}a->c.enabled = true\n`),
      'test.properties: a->c.enabled names cluster c, which is not listed in clusters',
    );
  });

  it('rejects a boolean that is neither true nor false', () => {
    assert.equal(
      configError(`${BASE}a->b.enabled = true\na->b.emit.checkpoints.enabled = yes\n`),
      "test.properties: a->b.emit.checkpoints.enabled must be true or false, not 'yes'",
    );
  });

  it('rejects a topic pattern that is not a regular expression', () => {
    assert.equal(
      configError(`${BASE}a->b.enabled = true\na->b.topics = orders, [unclosed\n`),
      'test.properties: a->b.topics = orders, [unclosed is not a valid regular expression',
    );
  });

  it('rejects replication policies it cannot model', () => {
    assert.equal(
      configError(`${BASE}a->b.enabled = true\nreplication.policy.class = com.example.RenamePolicy\n`),
      'test.properties: replication.policy.class com.example.RenamePolicy is not supported (use DefaultReplicationPolicy or IdentityReplicationPolicy)',
    );
    assert.equal(
      configError(`${BASE}a->b.enabled = true\nreplication.policy.separator =\n`),
      'test.properties: replication.policy.separator is empty',
    );
    assert.match(
      configError(`${BASE}a->b.enabled = true\na->b.replication.policy.separator = _\n`),
      /a->b\.replication\.policy\.separator: per-flow replication policies are not supported/,
    );
  });

  it('rejects an unknown offset-syncs topic location', () => {
    assert.equal(
      configError(`${BASE}a->b.enabled = true\noffset-syncs.topic.location = middle\n`),
      "test.properties: offset-syncs.topic.location must be source or target, not 'middle'",
    );
  });
});

describe('remoteTopicName and sourceTopicName', () => {
  it('prefix with the alias under the default policy and strip it back', () => {
    assert.equal(remoteTopicName(DEFAULT_POLICY, 'us-west', 'orders'), 'us-west.orders');
    assert.equal(sourceTopicName(DEFAULT_POLICY, 'us-west', 'us-west.orders'), 'orders');
    assert.equal(sourceTopicName(DEFAULT_POLICY, 'us-west', 'us-east.orders'), undefined);
    assert.equal(sourceTopicName(DEFAULT_POLICY, 'us-west', 'us-west.'), undefined);
    assert.equal(sourceTopicName(DEFAULT_POLICY, 'us-west', 'orders'), undefined);
  });

  it('use a custom separator', () => {
    const policy: ReplicationPolicy = { kind: 'default', separator: '__' };
    assert.equal(remoteTopicName(policy, 'east', 'orders.v1'), 'east__orders.v1');
    assert.equal(sourceTopicName(policy, 'east', 'east__orders.v1'), 'orders.v1');
    assert.equal(sourceTopicName(policy, 'east', 'east.orders.v1'), undefined);
  });

  it('keep names under the identity policy, except heartbeats which are still prefixed', () => {
    assert.equal(remoteTopicName(IDENTITY_POLICY, 'old', 'orders'), 'orders');
    assert.equal(sourceTopicName(IDENTITY_POLICY, 'old', 'orders'), 'orders');
    assert.equal(remoteTopicName(IDENTITY_POLICY, 'old', 'heartbeats'), 'old.heartbeats');
    assert.equal(sourceTopicName(IDENTITY_POLICY, 'old', 'old.heartbeats'), 'heartbeats');
  });
  it('reads replication.factor per flow (a->b.replication.factor over the global one), and refuses a bad one', () => {
    const config = parseMm2Config(
      `${BASE}a->b.enabled = true\nb->a.enabled = true\nreplication.factor = 3\na->b.replication.factor = -1\n`,
      'test.properties',
    );
    assert.deepEqual(
      config.flows.map((f) => [`${f.source}->${f.target}`, f.replicationFactor]),
      [
        ['a->b', -1],
        ['b->a', 3],
      ],
    );
    assert.throws(
      () =>
        parseMm2Config(`${BASE}a->b.enabled = true\na->b.replication.factor = three\n`, 'test.properties'),
      { message: "test.properties: a->b.replication.factor must be a whole number, not 'three'" },
    );
  });
});

describe('topicSelected and groupSelected', () => {
  const everything = flow({});

  it('never selects Kafka, Connect or MM2 internal topics nor heartbeats', () => {
    const internal = [
      '__consumer_offsets',
      '__transaction_state',
      '.hidden',
      'heartbeats',
      'a.heartbeats',
      'b.a.heartbeats',
      'a.checkpoints.internal',
      'mm2-offset-syncs.b.internal',
      'mm2-configs.a.internal',
      'connect-offsets-internal',
    ];
    assert.deepEqual(
      internal.filter((t) => topicSelected(everything, t)),
      [],
    );
  });

  it('selects ordinary topics that merely look like MM2 ones, as MM2 does', () => {
    assert.deepEqual(
      ['mm2-demo', 'heartbeats-dashboard', 'internal-audit', 'orders'].filter((t) =>
        topicSelected(everything, t),
      ),
      ['mm2-demo', 'heartbeats-dashboard', 'internal-audit', 'orders'],
    );
  });

  it('applies the policy separator to internal topics and the cycle check', () => {
    const policy: ReplicationPolicy = { kind: 'default', separator: '_' };
    const westToEast = flow({ source: 'west', target: 'east' });
    assert.equal(topicSelected(westToEast, 'mm2-offset-syncs_east_internal', policy), false);
    assert.equal(topicSelected(westToEast, 'west_heartbeats', policy), false);
    assert.equal(topicSelected(westToEast, 'east_orders', policy), false);
    assert.equal(topicSelected(westToEast, 'north_east_orders', policy), false);
    assert.equal(topicSelected(westToEast, 'north_orders', policy), true);
    assert.equal(topicSelected(westToEast, 'east_orders'), true);
    assert.equal(topicSelected(westToEast, 'east.orders', IDENTITY_POLICY), true);
  });

  it('matches patterns against the whole name', () => {
    const orders = flow({ topics: ['orders', 'pay.*'] });
    assert.deepEqual(
      ['orders', 'orders-v2', 'my-orders', 'payments', 'pay'].filter((t) => topicSelected(orders, t)),
      ['orders', 'payments', 'pay'],
    );
  });

  it('understands Java \\Q...\\E quoting and a leading (?i)', () => {
    assert.equal(topicSelected(flow({ topics: ['\\Qa.b\\E'] }), 'a.b'), true);
    assert.equal(topicSelected(flow({ topics: ['\\Qa.b\\E'] }), 'axb'), false);
    assert.equal(topicSelected(flow({ topics: ['(?i)orders'] }), 'ORDERS'), true);
  });

  it('selects nothing for an empty include list and excludes nothing for an empty exclude list', () => {
    assert.equal(topicSelected(flow({ topics: [] }), 'orders'), false);
    assert.equal(groupSelected(flow({ groups: [] }), 'orders-reader'), false);
    assert.equal(groupSelected(flow({ groupsExclude: [] }), 'console-consumer-1'), true);
  });

  it('applies the default group exclusions', () => {
    const defaults = parseMm2Config(`${BASE}a->b.enabled = true\n`).flows[0]!;
    assert.deepEqual(
      ['orders-reader', 'console-consumer-77', 'connect-mirror', '__share'].filter((g) =>
        groupSelected(defaults, g),
      ),
      ['orders-reader'],
    );
    assert.deepEqual(
      ['orders', 'orders.replica', 'app-internal'].filter((t) => topicSelected(defaults, t)),
      ['orders'],
    );
  });

  it('throws a ConfigError for a hand-built flow with an invalid pattern', () => {
    assert.throws(() => topicSelected(flow({ topics: ['(broken'] }), 'x'), {
      name: 'ConfigError',
      message: 'pattern list (broken is not a valid regular expression',
    });
  });
});
