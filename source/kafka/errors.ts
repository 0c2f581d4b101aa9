/** Turns kafkajs errors into one line an operator can act on. */

interface KafkaLikeError {
  name?: string;
  message?: string;
  type?: string;
  code?: string;
  cause?: unknown;
  originalError?: unknown;
  broker?: string;
}

function innermost(error: unknown): KafkaLikeError {
  let current = error as KafkaLikeError;
  for (let depth = 0; depth < 5; depth++) {
    const next = (current?.cause ?? current?.originalError) as KafkaLikeError | undefined;
    if (!next || typeof next !== 'object') break;
    current = next;
  }
  return current ?? {};
}

/** The kafkajs error type (`NOT_LEADER_FOR_PARTITION`...) of an error or of the error it wraps. */
export function kafkaErrorType(error: unknown): string | undefined {
  return (error as KafkaLikeError | undefined)?.type ?? innermost(error).type;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
};

/** `cluster source (127.0.0.1:19092): connection refused` and the like. */
export function describeKafkaError(error: unknown, what: string, bootstrap: readonly string[]): string {
  const root = innermost(error);
  const top = error as KafkaLikeError;
  const text = `${top?.message ?? ''} ${root.message ?? ''}`;
  const where = `${what} (${bootstrap.join(',')})`;
  if (root.type === 'SASL_AUTHENTICATION_FAILED' || /SASL|[Aa]uthentication failed/.test(text)) {
    return `${where}: authentication failed (check the SASL mechanism, user and password)`;
  }
  if (/self.signed|unable to verify|certificate|CERT_|altnames/i.test(text)) {
    return `${where}: TLS handshake failed: ${(root.message ?? '').split('\n')[0]}`;
  }
  if (root.code && NETWORK_CODES[root.code]) return `${where}: cannot connect: ${NETWORK_CODES[root.code]}`;
  if (/Connection timeout|Request timed out|timed out/i.test(text)) return `${where}: no answer in time`;
  if (root.type === 'UNKNOWN_TOPIC_OR_PARTITION') return `${where}: unknown topic or partition`;
  if (
    root.type === 'TOPIC_AUTHORIZATION_FAILED' ||
    root.type === 'CLUSTER_AUTHORIZATION_FAILED' ||
    root.type === 'GROUP_AUTHORIZATION_FAILED'
  ) {
    return `${where}: not authorized (${root.type})`;
  }
  if (/Closed connection|disconnected|Connection error/i.test(text)) return `${where}: connection lost`;
  const message = (root.message || top?.message || String(error)).split('\n')[0];
  return `${where}: ${message}`;
}
