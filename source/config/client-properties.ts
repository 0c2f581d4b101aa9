import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { parseJaasConfig } from './jaas.js';
import { looksLikePem, pemCertificates, pemPrivateKey } from './pem.js';
import { redact } from './secrets.js';

export { redact, secretValues } from './secrets.js';

/** Kafka client settings under Kafka's own property names (librdkafka's names are accepted too). */
export type ClientProperties = Record<string, string>;

export interface ResolvedSecurity {
  protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  ssl?: {
    ca?: string[];
    cert?: string;
    key?: string;
    passphrase?: string;
    rejectUnauthorized: boolean;
    /** False when `ssl.endpoint.identification.algorithm` is empty: verify the chain but not the host name. */
    checkHostname: boolean;
  };
}

type Protocol = ResolvedSecurity['protocol'];
type Sasl = NonNullable<ResolvedSecurity['sasl']>;
type Ssl = NonNullable<ResolvedSecurity['ssl']>;
type ReadFile = (path: string) => string;

const PROTOCOLS: readonly Protocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const MECHANISMS: Record<string, Sasl['mechanism']> = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
};
const LOGIN_MODULES = new Set(['PlainLoginModule', 'ScramLoginModule']);
const SHELL_VARIABLE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;

const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/** Kafka trims configuration values; an empty value counts as unset. */
function setting(props: ClientProperties, key: string): string | undefined {
  const value = props[key]?.trim();
  return value === '' ? undefined : value;
}

/** Reads a file named by a property. The error names the path and the property, never what was read. */
function readProperty(readFile: ReadFile, property: string, path: string): string {
  try {
    return readFile(path);
  } catch (error) {
    const code = String((error as NodeJS.ErrnoException | undefined)?.code);
    throw new ConfigError(
      `cannot read ${property} ${path}: ${/^E[A-Z0-9_]+$/.test(code) ? code : 'unreadable'}`,
    );
  }
}

function credentialsFromJaas(jaas: string): { username: string; password: string } {
  if (SHELL_VARIABLE.test(jaas)) {
    throw new ConfigError(
      'sasl.jaas.config is an unexpanded shell variable; expand it before starting mirrorwatch',
    );
  }
  const entry = parseJaasConfig(jaas);
  const moduleName = entry.loginModule.split('.').pop() ?? '';
  if (!LOGIN_MODULES.has(moduleName)) {
    const named = /^[\w.$]+LoginModule$/.test(entry.loginModule)
      ? ` uses ${entry.loginModule};`
      : ' is not a login module entry;';
    throw new ConfigError(
      `sasl.jaas.config${named} mirrorwatch supports PlainLoginModule and ScramLoginModule`,
    );
  }
  if (entry.problem) throw new ConfigError(`sasl.jaas.config is malformed: ${entry.problem}`);
  const username = entry.options.get('username');
  const password = entry.options.get('password');
  if (username === undefined) throw new ConfigError('sasl.jaas.config has no username option');
  if (password === undefined) throw new ConfigError('sasl.jaas.config has no password option');
  return { username, password };
}

function resolveSasl(props: ClientProperties, protocol: Protocol): Sasl {
  const mechanismName = setting(props, 'sasl.mechanism') ?? setting(props, 'sasl.mechanisms');
  if (!mechanismName) {
    throw new ConfigError(
      `security.protocol ${protocol} needs sasl.mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)`,
    );
  }
  const mechanism = MECHANISMS[mechanismName.toUpperCase()];
  if (!mechanism) {
    throw new ConfigError(
      `sasl.mechanism ${mechanismName} is not supported (use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)`,
    );
  }
  const jaas = setting(props, 'sasl.jaas.config');
  if (jaas) return { mechanism, ...credentialsFromJaas(jaas) };
  const username = setting(props, 'sasl.username');
  const password = setting(props, 'sasl.password');
  if (username !== undefined && password !== undefined) return { mechanism, username, password };
  if (username !== undefined) throw new ConfigError('sasl.username is set but sasl.password is not');
  if (password !== undefined) throw new ConfigError('sasl.password is set but sasl.username is not');
  throw new ConfigError(`${mechanismName} needs sasl.jaas.config, or sasl.username and sasl.password`);
}

function certificatesIn(text: string, source: string): string[] {
  const certificates = pemCertificates(text);
  if (certificates.length === 0) throw new ConfigError(`${source} contains no PEM certificate`);
  return certificates;
}

function trustedCertificates(props: ClientProperties, readFile: ReadFile): string[] | undefined {
  const ca: string[] = [];
  for (const property of ['ssl.truststore.certificates', 'ssl.ca.pem']) {
    const inline = setting(props, property);
    if (inline) ca.push(...certificatesIn(inline, property));
  }
  const truststore = setting(props, 'ssl.truststore.location');
  if (truststore) {
    const text = readProperty(readFile, 'ssl.truststore.location', truststore);
    const isPemType = setting(props, 'ssl.truststore.type')?.toUpperCase() === 'PEM';
    if (!isPemType && !looksLikePem(text)) {
      throw new ConfigError(
        `truststore ${truststore} is JKS/PKCS12; export the CA to PEM (keytool -exportcert -rfc) and set ssl.truststore.type=PEM`,
      );
    }
    ca.push(...certificatesIn(text, `ssl.truststore.location ${truststore}`));
  }
  const caLocation = setting(props, 'ssl.ca.location');
  // librdkafka's `probe` means "the system CA store", which is what no `ca` gives.
  if (caLocation && caLocation !== 'probe') {
    const text = readProperty(readFile, 'ssl.ca.location', caLocation);
    ca.push(...certificatesIn(text, `ssl.ca.location ${caLocation}`));
  }
  return ca.length > 0 ? ca : undefined;
}

interface PemPart {
  text: string;
  source: string;
}

function inlineOrFile(
  props: ClientProperties,
  readFile: ReadFile,
  inline: string[],
  file: string,
): PemPart | undefined {
  for (const property of inline) {
    const text = setting(props, property);
    if (text) return { text, source: property };
  }
  const path = setting(props, file);
  return path ? { text: readProperty(readFile, file, path), source: `${file} ${path}` } : undefined;
}

function keystoreParts(props: ClientProperties, readFile: ReadFile): { cert?: PemPart; key?: PemPart } {
  const keystore = setting(props, 'ssl.keystore.location');
  if (!keystore) {
    return {
      cert: inlineOrFile(
        props,
        readFile,
        ['ssl.keystore.certificate.chain', 'ssl.certificate.pem'],
        'ssl.certificate.location',
      ),
      key: inlineOrFile(props, readFile, ['ssl.keystore.key', 'ssl.key.pem'], 'ssl.key.location'),
    };
  }
  const text = readProperty(readFile, 'ssl.keystore.location', keystore);
  if (setting(props, 'ssl.keystore.type')?.toUpperCase() !== 'PEM' && !looksLikePem(text)) {
    throw new ConfigError(
      `keystore ${keystore} is JKS/PKCS12; export the key and certificate to one PEM file (openssl pkcs12 -nodes) and set ssl.keystore.type=PEM`,
    );
  }
  const part = { text, source: `ssl.keystore.location ${keystore}` };
  return { cert: part, key: part };
}

function clientIdentity(
  props: ClientProperties,
  readFile: ReadFile,
): { cert: string; key: string } | undefined {
  const { cert, key } = keystoreParts(props, readFile);
  if (!cert && !key) return undefined;
  if (!key)
    throw new ConfigError(
      `${cert!.source} is set without a private key (ssl.keystore.key or ssl.key.location)`,
    );
  if (!cert) {
    throw new ConfigError(
      `${key.source} is set without a certificate (ssl.keystore.certificate.chain or ssl.certificate.location)`,
    );
  }
  const privateKey = pemPrivateKey(key.text);
  if (!privateKey) throw new ConfigError(`${key.source} contains no PEM private key`);
  return { cert: certificatesIn(cert.text, cert.source).join('\n'), key: privateKey };
}

function hostnameCheck(props: ClientProperties): boolean {
  const algorithm = props['ssl.endpoint.identification.algorithm']?.trim();
  if (algorithm === undefined || algorithm.toLowerCase() === 'https') return true;
  if (algorithm === '' || algorithm.toLowerCase() === 'none') return false;
  throw new ConfigError(
    `ssl.endpoint.identification.algorithm ${algorithm} is not supported (use https, or leave it empty to skip host name checks)`,
  );
}

function certificateVerification(props: ClientProperties): boolean {
  const value = setting(props, 'enable.ssl.certificate.verification')?.toLowerCase() ?? 'true';
  if (value !== 'true' && value !== 'false') {
    throw new ConfigError('enable.ssl.certificate.verification must be true or false');
  }
  return value === 'true';
}

function resolveSsl(props: ClientProperties, readFile: ReadFile): Ssl {
  const ssl: Ssl = {
    rejectUnauthorized: certificateVerification(props),
    checkHostname: hostnameCheck(props),
  };
  const ca = trustedCertificates(props, readFile);
  if (ca) ssl.ca = ca;
  const identity = clientIdentity(props, readFile);
  if (identity) {
    ssl.cert = identity.cert;
    ssl.key = identity.key;
    const passphrase = setting(props, 'ssl.key.password');
    if (passphrase) ssl.passphrase = passphrase;
  }
  return ssl;
}

function resolve(props: ClientProperties, readFile: ReadFile): ResolvedSecurity {
  const protocolName = setting(props, 'security.protocol') ?? 'PLAINTEXT';
  const protocol = PROTOCOLS.find((known) => known === protocolName.toUpperCase());
  if (!protocol) {
    throw new ConfigError(`security.protocol ${protocolName} is not one of ${PROTOCOLS.join(', ')}`);
  }
  const security: ResolvedSecurity = { protocol };
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') security.sasl = resolveSasl(props, protocol);
  if (protocol === 'SSL' || protocol === 'SASL_SSL') security.ssl = resolveSsl(props, readFile);
  return security;
}

/**
 * Turns client properties into what a Kafka client needs, reading CA, certificate and key files.
 * Throws ConfigError; messages never contain a secret from `props`.
 */
export function resolveSecurity(props: ClientProperties, readFile: ReadFile = readUtf8): ResolvedSecurity {
  try {
    return resolve(props, readFile);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(redact(error.message, props));
    throw error;
  }
}

/** Settings that decide how to reach a cluster securely: `security.protocol`, `sasl.*`, `ssl.*`. */
export const isClientSecurityKey = (key: string): boolean =>
  key === 'security.protocol' ||
  key.startsWith('ssl.') ||
  key.startsWith('sasl.') ||
  key === 'enable.ssl.certificate.verification';

/**
 * Client properties from `MIRRORWATCH_<SOURCE|TARGET>_<NAME>` variables, where NAME is the property name
 * upper-cased with dots as underscores: MIRRORWATCH_SOURCE_SASL_JAAS_CONFIG -> sasl.jaas.config.
 */
export function clientPropertiesFromEnv(
  env: NodeJS.ProcessEnv,
  prefix: 'SOURCE' | 'TARGET',
): ClientProperties {
  const envPrefix = `MIRRORWATCH_${prefix}_`;
  const props: ClientProperties = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.startsWith(envPrefix)) continue;
    const key = name.slice(envPrefix.length).toLowerCase().replaceAll('_', '.');
    if (isClientSecurityKey(key)) props[key] = value;
  }
  return props;
}
