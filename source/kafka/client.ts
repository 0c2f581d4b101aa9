import { Kafka, type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';
import type { ResolvedSecurity } from '../config/client-properties.js';
import { registerCompressionCodecs } from './codecs.js';
import { tolerateOfflinePartitions } from './offline-partitions.js';

export interface ClusterEndpoint {
  /** `source` or `target` (or an alias): names the cluster in errors. */
  name: string;
  brokers: string[];
  security?: ResolvedSecurity;
}

export interface ClientTimeouts {
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  retries?: number;
}

function saslOptions(security: ResolvedSecurity): SASLOptions | undefined {
  if (!security.sasl) return undefined;
  const { mechanism, username, password } = security.sasl;
  return { mechanism, username, password } as SASLOptions;
}

function sslOptions(security: ResolvedSecurity): KafkaConfig['ssl'] {
  if (security.protocol !== 'SSL' && security.protocol !== 'SASL_SSL') return undefined;
  const ssl = security.ssl;
  if (!ssl) return true;
  return {
    ...(ssl.ca ? { ca: ssl.ca } : {}),
    ...(ssl.cert ? { cert: ssl.cert } : {}),
    ...(ssl.key ? { key: ssl.key } : {}),
    ...(ssl.passphrase ? { passphrase: ssl.passphrase } : {}),
    rejectUnauthorized: ssl.rejectUnauthorized,
    ...(ssl.checkHostname === false ? { checkServerIdentity: () => undefined } : {}),
  };
}

/**
 * A kafkajs client that never writes to the terminal (kafkajs logs to the console by default) and
 * never waits unbounded: connection and request timeouts are always set. Every client reads and
 * writes gzip, snappy, lz4 and zstd batches.
 */
export function createKafka(
  endpoint: ClusterEndpoint,
  clientId: string,
  timeouts: ClientTimeouts = {},
): Kafka {
  tolerateOfflinePartitions();
  registerCompressionCodecs();
  const security = endpoint.security ?? { protocol: 'PLAINTEXT' };
  return new Kafka({
    clientId,
    brokers: endpoint.brokers,
    ssl: sslOptions(security),
    sasl: saslOptions(security),
    connectionTimeout: timeouts.connectionTimeoutMs ?? 5000,
    authenticationTimeout: timeouts.connectionTimeoutMs ?? 5000,
    requestTimeout: timeouts.requestTimeoutMs ?? 15000,
    enforceRequestTimeout: true,
    retry: { retries: timeouts.retries ?? 2, initialRetryTime: 200, maxRetryTime: 2000 },
    logLevel: logLevel.NOTHING,
    logCreator: () => () => {},
  });
}
