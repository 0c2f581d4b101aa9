import type { LabPorts } from './layout.js';
import { SOURCE_ALIAS, TARGET_ALIAS } from './layout.js';

export type Properties = Record<string, string | number | boolean>;

/** Every `*replication.factor` setting of an MM2 or Connect configuration set to `rf`. */
export function withReplicationFactor(props: Properties, rf: number): Properties {
  return Object.fromEntries(
    Object.entries(props).map(([key, value]) => [key, key.endsWith('replication.factor') ? rf : value]),
  );
}

export function renderProperties(props: Properties, header?: string): string {
  const lines = header ? [`# ${header}`] : [];
  for (const [key, value] of Object.entries(props)) lines.push(`${key}=${String(value)}`);
  return `${lines.join('\n')}\n`;
}

export interface SecureListener {
  keystorePem: string;
  username: string;
  password: string;
  /** Port of the plaintext listener kept for inter-broker traffic and MM2. */
  internalPort: number;
}

/** Storage and topic defaults of every lab broker, KRaft or ZooKeeper. */
function logAndTopicDefaults(dataDir: string, rf: number): Properties {
  return {
    'log.dirs': dataDir,
    'num.partitions': 1,
    'auto.create.topics.enable': false,
    'default.replication.factor': rf,
    'offsets.topic.replication.factor': rf,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'log.segment.bytes': 16 * 1024 * 1024,
  };
}

/**
 * A KRaft broker: node 1 is broker and controller (the lab's one-node quorum), the others brokers only.
 * Settings valid on both 3.9 and 4.x.
 */
export function brokerProperties(options: {
  nodeId: number;
  /** Of the internal topics (consumer offsets, transactions); also the default for new topics. */
  replicationFactor: number;
  brokerPort: number;
  controllerPort: number;
  dataDir: string;
  secure?: SecureListener;
}): Properties {
  const host = '127.0.0.1';
  const { brokerPort, controllerPort, secure, replicationFactor: rf } = options;
  const controller = options.nodeId === 1;
  const controllerListener = controller ? `,CONTROLLER://${host}:${controllerPort}` : '';
  const listeners = secure
    ? `SASL_SSL://${host}:${brokerPort},INTERNAL://${host}:${secure.internalPort}${controllerListener}`
    : `PLAINTEXT://${host}:${brokerPort}${controllerListener}`;
  const advertised = secure
    ? `SASL_SSL://${host}:${brokerPort},INTERNAL://${host}:${secure.internalPort}`
    : `PLAINTEXT://${host}:${brokerPort}`;
  const props: Properties = {
    'process.roles': controller ? 'broker,controller' : 'broker',
    'node.id': options.nodeId,
    'controller.quorum.voters': `1@${host}:${controllerPort}`,
    listeners,
    'advertised.listeners': advertised,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': secure
      ? 'SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT'
      : 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': secure ? 'INTERNAL' : 'PLAINTEXT',
    ...logAndTopicDefaults(options.dataDir, rf),
    'share.coordinator.state.topic.replication.factor': rf,
    'share.coordinator.state.topic.min.isr': 1,
  };
  if (secure) {
    Object.assign(props, {
      // PLAIN beside SCRAM: Debian's kcat (librdkafka 2.0.2) cannot do SCRAM against Kafka 4.x
      // (librdkafka fixed its client-final nonce in 2.6.1), and the lab must stay checkable with it.
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512,PLAIN',
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required user_${secure.username}="${secure.password}";`,
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': secure.keystorePem,
      'ssl.client.auth': 'none',
    });
  }
  return props;
}

/**
 * A lab process's log rolls at this size, keeping one older file: at `lab scale --groups 1000` a Connect
 * whose checkpoint connector had run out of heap logged 500 MB in 15 minutes.
 */
const LOG_MAX_SIZE_MB = 100;

/** log4j 1 (reload4j, Kafka 3.x) configuration writing to one file, rolled by size. */
export function log4jProperties(logFile: string): string {
  return renderProperties({
    'log4j.rootLogger': 'INFO, file',
    'log4j.appender.file': 'org.apache.log4j.RollingFileAppender',
    'log4j.appender.file.File': logFile,
    'log4j.appender.file.MaxFileSize': `${LOG_MAX_SIZE_MB}MB`,
    'log4j.appender.file.MaxBackupIndex': 1,
    'log4j.appender.file.layout': 'org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern': '[%d] %p %m (%c)%n',
    'log4j.logger.org.apache.kafka.clients': 'WARN',
    'log4j.logger.kafka.request.logger': 'WARN',
  });
}

/** log4j2 (Kafka 4.x) configuration writing to one file, rolled by size. */
export function log4j2Properties(logFile: string): string {
  return renderProperties({
    'appender.file.type': 'RollingFile',
    'appender.file.name': 'file',
    'appender.file.fileName': logFile,
    'appender.file.filePattern': `${logFile}.%i`,
    'appender.file.policies.type': 'Policies',
    'appender.file.policies.size.type': 'SizeBasedTriggeringPolicy',
    'appender.file.policies.size.size': `${LOG_MAX_SIZE_MB}MB`,
    'appender.file.strategy.type': 'DefaultRolloverStrategy',
    'appender.file.strategy.max': 1,
    'appender.file.layout.type': 'PatternLayout',
    'appender.file.layout.pattern': '[%d] %p %m (%c)%n',
    'rootLogger.level': 'INFO',
    'rootLogger.appenderRef.file.ref': 'file',
    'logger.clients.name': 'org.apache.kafka.clients',
    'logger.clients.level': 'WARN',
  });
}

export const CONNECT_OFFSETS_TOPIC = 'mm2-connect-offsets';
export const CONNECT_CONFIGS_TOPIC = 'mm2-connect-configs';
export const CONNECT_STATUS_TOPIC = 'mm2-connect-status';
const BYTES = 'org.apache.kafka.connect.converters.ByteArrayConverter';

export function connectWorkerProperties(ports: LabPorts, targetBootstrap: string): Properties {
  return {
    'bootstrap.servers': targetBootstrap,
    'group.id': 'mirrorwatch-lab-mm2',
    'key.converter': BYTES,
    'value.converter': BYTES,
    'header.converter': BYTES,
    'offset.storage.topic': CONNECT_OFFSETS_TOPIC,
    'config.storage.topic': CONNECT_CONFIGS_TOPIC,
    'status.storage.topic': CONNECT_STATUS_TOPIC,
    'offset.storage.replication.factor': 1,
    'config.storage.replication.factor': 1,
    'status.storage.replication.factor': 1,
    'offset.storage.partitions': 5,
    'status.storage.partitions': 1,
    'offset.flush.interval.ms': 2000,
    listeners: `http://127.0.0.1:${ports.connectRest}`,
    'rest.advertised.host.name': '127.0.0.1',
    'rest.advertised.port': ports.connectRest,
    'scheduled.rebalance.max.delay.ms': 0,
    // The reverse flow (new->old) must produce into old, not into the worker's cluster: its connectors
    // set producer.override.bootstrap.servers, which the worker only honours with this policy.
    'connector.client.config.override.policy': 'All',
  };
}

export type ReplicationPolicyName = 'identity' | 'default';

export function policyClass(policy: ReplicationPolicyName): string {
  return policy === 'identity'
    ? 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy'
    : 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy';
}

/** Names as Strimzi gives them: `<source>-><target>.<Connector>`. */
export function connectorNames(
  sourceAlias = SOURCE_ALIAS,
  targetAlias = TARGET_ALIAS,
): { source: string; checkpoint: string; heartbeat: string } {
  const flow = `${sourceAlias}->${targetAlias}`;
  return {
    source: `${flow}.MirrorSourceConnector`,
    checkpoint: `${flow}.MirrorCheckpointConnector`,
    heartbeat: `${flow}.MirrorHeartbeatConnector`,
  };
}

/**
 * Topics the lab's new->old flow leaves out: MM2's defaults, the Connect worker's `mm2-*` topics, and
 * `private.*`, topics kept on new on purpose (they read "not mirrored" on that flow).
 */
export const REVERSE_TOPICS_EXCLUDE = '.*[\\-\\.]internal, .*\\.replica, __.*, mm2-.*, private\\..*';

/** Every MM2 connector the lab runs in Connect: old->new's three, and new->old's with `--flows both`. */
export function labConnectorNames(bothFlows: boolean): string[] {
  const forward = Object.values(connectorNames());
  return bothFlows ? [...forward, ...Object.values(connectorNames(TARGET_ALIAS, SOURCE_ALIAS))] : forward;
}

/** The three MM2 connector configurations posted to the Connect worker. */
export function mirrorConnectorConfigs(options: {
  sourceBootstrap: string;
  targetBootstrap: string;
  policy: ReplicationPolicyName;
  /** The reverse flow (new->old): the same connectors with the clusters swapped. */
  reverse?: boolean;
  /** refresh.topics, refresh.groups, emit.checkpoints and sync.group.offsets, in seconds. */
  intervalSeconds: number;
}): Record<string, Properties> {
  const [sourceAlias, targetAlias] = options.reverse
    ? [TARGET_ALIAS, SOURCE_ALIAS]
    : [SOURCE_ALIAS, TARGET_ALIAS];
  const common: Properties = {
    ...(options.reverse
      ? {
          // Connect writes a source connector's records with the worker's producer, into the worker's
          // cluster (new): the reverse flow's records belong on old.
          'producer.override.bootstrap.servers': options.targetBootstrap,
          // new also holds the worker's own topics and group, which are not the operator's data.
          'topics.exclude': REVERSE_TOPICS_EXCLUDE,
          'groups.exclude': 'console-consumer-.*, connect-.*, __.*, mirrorwatch-.*',
        }
      : {}),
    'source.cluster.alias': sourceAlias,
    'target.cluster.alias': targetAlias,
    'source.cluster.bootstrap.servers': options.sourceBootstrap,
    'target.cluster.bootstrap.servers': options.targetBootstrap,
    'replication.policy.class': policyClass(options.policy),
    'key.converter': BYTES,
    'value.converter': BYTES,
    'header.converter': BYTES,
  };
  const names = connectorNames(sourceAlias, targetAlias);
  return {
    [names.source]: {
      ...common,
      'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
      'tasks.max': 2,
      topics: '.*',
      'replication.factor': 1,
      'offset-syncs.topic.replication.factor': 1,
      'sync.topic.acls.enabled': false,
      'sync.topic.configs.enabled': true,
      'refresh.topics.interval.seconds': options.intervalSeconds,
    },
    [names.checkpoint]: {
      ...common,
      'connector.class': 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
      'tasks.max': 1,
      groups: '.*',
      'checkpoints.topic.replication.factor': 1,
      'sync.group.offsets.enabled': true,
      'sync.group.offsets.interval.seconds': options.intervalSeconds,
      'emit.checkpoints.interval.seconds': options.intervalSeconds,
      'refresh.groups.interval.seconds': options.intervalSeconds,
    },
    [names.heartbeat]: {
      ...common,
      'connector.class': 'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
      'tasks.max': 1,
      'heartbeats.topic.replication.factor': 1,
      'emit.heartbeats.interval.seconds': 1,
    },
  };
}

/** An mm2.properties for the dedicated `connect-mirror-maker` process, as the seeds run it. */
export function dedicatedMm2Properties(options: {
  sourceBootstrap: string;
  targetBootstrap: string;
  policy: ReplicationPolicyName;
  /** As mirrorConnectorConfigs' intervalSeconds. */
  intervalSeconds: number;
}): Properties {
  const flow = `${SOURCE_ALIAS}->${TARGET_ALIAS}`;
  return {
    clusters: `${SOURCE_ALIAS}, ${TARGET_ALIAS}`,
    [`${SOURCE_ALIAS}.bootstrap.servers`]: options.sourceBootstrap,
    [`${TARGET_ALIAS}.bootstrap.servers`]: options.targetBootstrap,
    [`${flow}.enabled`]: true,
    [`${TARGET_ALIAS}->${SOURCE_ALIAS}.enabled`]: false,
    [`${flow}.topics`]: '.*',
    [`${flow}.groups`]: '.*',
    [`${flow}.emit.heartbeats.enabled`]: true,
    [`${flow}.emit.checkpoints.enabled`]: true,
    'replication.policy.class': policyClass(options.policy),
    'tasks.max': 2,
    'replication.factor': 1,
    'checkpoints.topic.replication.factor': 1,
    'heartbeats.topic.replication.factor': 1,
    'offset-syncs.topic.replication.factor': 1,
    'offset.storage.replication.factor': 1,
    'status.storage.replication.factor': 1,
    'config.storage.replication.factor': 1,
    'offset.flush.interval.ms': 2000,
    'refresh.topics.interval.seconds': options.intervalSeconds,
    'refresh.groups.interval.seconds': options.intervalSeconds,
    'sync.group.offsets.enabled': true,
    'sync.group.offsets.interval.seconds': options.intervalSeconds,
    'emit.checkpoints.interval.seconds': options.intervalSeconds,
    'emit.heartbeats.interval.seconds': 1,
    'sync.topic.acls.enabled': false,
  };
}

/** A ZooKeeper-mode broker (Kafka 2.8): the lab's legacy source, as the DC/OS 1.x clusters of seed 000 ran. */
export function zooKeeperBrokerProperties(options: {
  nodeId: number;
  replicationFactor: number;
  brokerPort: number;
  zookeeperPort: number;
  dataDir: string;
}): Properties {
  const rf = options.replicationFactor;
  return {
    'broker.id': options.nodeId,
    listeners: `PLAINTEXT://127.0.0.1:${options.brokerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${options.brokerPort}`,
    'zookeeper.connect': `127.0.0.1:${options.zookeeperPort}`,
    'zookeeper.connection.timeout.ms': 30_000,
    ...logAndTopicDefaults(options.dataDir, rf),
    'transaction.state.log.num.partitions': 10,
  };
}

/** A standalone ZooKeeper server for the legacy source. */
export function zooKeeperProperties(dataDir: string, clientPort: number): Properties {
  return {
    dataDir,
    clientPort,
    clientPortAddress: '127.0.0.1',
    tickTime: 2000,
    maxClientCnxns: 0,
    'admin.enableServer': false,
    '4lw.commands.whitelist': 'srvr,ruok',
  };
}

/**
 * MirrorMaker 1 (`kafka.tools.MirrorMaker`) as seed 000 deploys it: group `mirrormaker`, offsets from the
 * earliest (`OFFSET_RESET=smallest`), producing into the target.
 */
export const MM1_GROUP = 'mirrormaker';
export const MM1_INCLUDE = 'topic1|topic2';
export const MM1_TOPICS = ['topic1', 'topic2'];
/** The lab commits more often than MM1's default 60 s so a test sees it in sync within seconds. */
export const MM1_COMMIT_INTERVAL_MS = 5000;

export function mirrorMaker1ConsumerProperties(sourceBootstrap: string): Properties {
  return {
    'bootstrap.servers': sourceBootstrap,
    'group.id': MM1_GROUP,
    'auto.offset.reset': 'earliest',
  };
}

export function mirrorMaker1ProducerProperties(targetBootstrap: string): Properties {
  return {
    'bootstrap.servers': targetBootstrap,
    'client.id': 'mirrormaker-producer',
    acks: 'all',
    'compression.type': 'lz4',
  };
}
