import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ClientProperties,
  clientPropertiesFromEnv,
  redact,
  resolveSecurity,
  secretValues,
} from '../../source/config/client-properties.js';
import { ConfigError } from '../../source/config/errors.js';
import { fixture } from '../helpers/fixtures.js';

// Assembled at run time so that no private-key-looking literal sits in the repository.
const pemBlock = (label: string, body: string): string =>
  `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;

const CA = fixture('props-ca.pem');
const CA_BLOCK = CA.trim();
const OTHER_CERT = pemBlock('CERTIFICATE', 'T1RIRVItQ0VSVElGSUNBVEU=');
const CLIENT_CERT = pemBlock('CERTIFICATE', 'Q0xJRU5ULUNFUlRJRklDQVRF');
const KEY_BODY = 'S0VZLU1BVEVSSUFMLUZPUi1URVNUUy1PTkxZ';
const CLIENT_KEY = pemBlock('PRIVATE KEY', KEY_BODY);
const ENCRYPTED_KEY = pemBlock('ENCRYPTED PRIVATE KEY', KEY_BODY);
const PASSWORD = 'Pw-S3cr3t!';
const SCRAM_JAAS = `org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2" password="${PASSWORD}";`;

function filesOf(files: Record<string, string>): (path: string) => string {
  return (path) => {
    const content = files[path];
    if (content === undefined)
      throw Object.assign(new Error(`ENOENT: no such file ${path}`), { code: 'ENOENT' });
    return content;
  };
}

function securityError(props: ClientProperties, files: Record<string, string> = {}): string {
  try {
    resolveSecurity(props, filesOf(files));
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

describe('resolveSecurity', () => {
  it('defaults to PLAINTEXT and ignores SASL settings there', () => {
    assert.deepEqual(resolveSecurity({}), { protocol: 'PLAINTEXT' });
    assert.deepEqual(resolveSecurity({ 'sasl.jaas.config': SCRAM_JAAS }), { protocol: 'PLAINTEXT' });
  });

  it('resolves SASL_SSL with SCRAM-SHA-512 and a PEM CA file, as in the SCRAM fixture', () => {
    const security = resolveSecurity(
      {
        'security.protocol': 'SASL_SSL',
        'sasl.mechanism': 'SCRAM-SHA-512',
        'sasl.jaas.config': SCRAM_JAAS,
        'ssl.truststore.type': 'PEM',
        'ssl.truststore.location': '/etc/mirrormaker/legacy-ca.pem',
      },
      filesOf({ '/etc/mirrormaker/legacy-ca.pem': CA }),
    );
    assert.deepEqual(security, {
      protocol: 'SASL_SSL',
      sasl: { mechanism: 'scram-sha-512', username: 'mm2', password: PASSWORD },
      ssl: { ca: [CA_BLOCK], rejectUnauthorized: true, checkHostname: true },
    });
  });

  it('accepts protocol and mechanism names in any case and trims values', () => {
    const security = resolveSecurity({
      'security.protocol': ' sasl_plaintext ',
      'sasl.mechanism': 'scram-sha-256',
      'sasl.username': 'u',
      'sasl.password': 'p',
    });
    assert.deepEqual(security, {
      protocol: 'SASL_PLAINTEXT',
      sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' },
    });
  });

  describe('sasl.jaas.config', () => {
    const cases: Array<[string, string, string, string]> = [
      [
        'PlainLoginModule',
        'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="pw";',
        'alice',
        'pw',
      ],
      [
        'extra whitespace and line breaks',
        '  org.apache.kafka.common.security.scram.ScramLoginModule\n required\n\tusername = "alice"\n  password =  "pw"  ;  ',
        'alice',
        'pw',
      ],
      [
        'escaped quotes and backslashes',
        String.raw`org.apache.kafka.common.security.scram.ScramLoginModule required username="al\"ice" password="p\\w\"d";`,
        'al"ice',
        'p\\w"d',
      ],
      [
        'single quotes',
        "org.apache.kafka.common.security.plain.PlainLoginModule required username='alice' password='p w';",
        'alice',
        'p w',
      ],
      [
        'no trailing semicolon',
        'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="pw"',
        'alice',
        'pw',
      ],
      [
        'unquoted values and options in another order',
        'org.apache.kafka.common.security.plain.PlainLoginModule required password=pw username=alice;',
        'alice',
        'pw',
      ],
      [
        'a semicolon and equals inside the password',
        'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="a=b;c";',
        'alice',
        'a=b;c',
      ],
      [
        'a shaded module name',
        'kafkashaded.org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="pw";',
        'alice',
        'pw',
      ],
    ];
    for (const [name, jaas, username, password] of cases) {
      it(`reads username and password with ${name}`, () => {
        const security = resolveSecurity({
          'security.protocol': 'SASL_PLAINTEXT',
          'sasl.mechanism': 'PLAIN',
          'sasl.jaas.config': jaas,
        });
        assert.deepEqual(security.sasl, { mechanism: 'plain', username, password });
      });
    }

    it('prefers sasl.jaas.config over sasl.username and sasl.password', () => {
      const security = resolveSecurity({
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'SCRAM-SHA-512',
        'sasl.jaas.config': SCRAM_JAAS,
        'sasl.username': 'other',
        'sasl.password': 'other-pw',
      });
      assert.equal(security.sasl?.username, 'mm2');
    });

    it('names an unsupported login module', () => {
      assert.equal(
        securityError({
          'security.protocol': 'SASL_SSL',
          'sasl.mechanism': 'PLAIN',
          'sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
        }),
        'sasl.jaas.config uses org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule; mirrorwatch supports PlainLoginModule and ScramLoginModule',
      );
    });

    it('reports missing options and malformed entries', () => {
      const sasl = { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN' };
      const plain = 'org.apache.kafka.common.security.plain.PlainLoginModule required';
      assert.equal(
        securityError({ ...sasl, 'sasl.jaas.config': `${plain} password="x";` }),
        'sasl.jaas.config has no username option',
      );
      assert.equal(
        securityError({ ...sasl, 'sasl.jaas.config': `${plain} username="x";` }),
        'sasl.jaas.config has no password option',
      );
      assert.equal(
        securityError({ ...sasl, 'sasl.jaas.config': `${plain} username="x" password="unterminated;` }),
        'sasl.jaas.config is malformed: unterminated quoted value',
      );
      assert.equal(
        securityError({
          ...sasl,
          'sasl.jaas.config': `${plain} username="x" password="two-entries"; ${plain} username="z";`,
        }),
        'sasl.jaas.config is malformed: more than one login module entry',
      );
    });
  });

  it('accepts librdkafka sasl.mechanisms, sasl.username and sasl.password', () => {
    const security = resolveSecurity({
      'security.protocol': 'SASL_SSL',
      'sasl.mechanisms': 'PLAIN',
      'sasl.username': 'key',
      'sasl.password': 'secret',
    });
    assert.deepEqual(security, {
      protocol: 'SASL_SSL',
      sasl: { mechanism: 'plain', username: 'key', password: 'secret' },
      ssl: { rejectUnauthorized: true, checkHostname: true },
    });
  });

  it('rejects unknown protocols, unsupported or missing mechanisms and missing credentials', () => {
    assert.equal(
      securityError({ 'security.protocol': 'TLS' }),
      'security.protocol TLS is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL',
    );
    assert.equal(
      securityError({
        'security.protocol': 'SASL_SSL',
        'sasl.mechanism': 'GSSAPI',
        'sasl.jaas.config': SCRAM_JAAS,
      }),
      'sasl.mechanism GSSAPI is not supported (use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)',
    );
    assert.match(
      securityError({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'OAUTHBEARER' }),
      /OAUTHBEARER is not supported/,
    );
    assert.equal(
      securityError({ 'security.protocol': 'SASL_SSL', 'sasl.jaas.config': SCRAM_JAAS }),
      'security.protocol SASL_SSL needs sasl.mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)',
    );
    assert.equal(
      securityError({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-256' }),
      'SCRAM-SHA-256 needs sasl.jaas.config, or sasl.username and sasl.password',
    );
    assert.equal(
      securityError({
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'PLAIN',
        'sasl.username': 'u',
      }),
      'sasl.username is set but sasl.password is not',
    );
  });

  describe('trusted CA', () => {
    const ssl = { 'security.protocol': 'SSL' };

    it('reads a PEM truststore even without ssl.truststore.type, and a PEM with openssl bag attributes', () => {
      const bagged = `Bag Attributes\n    friendlyName: ca\n${CA}`;
      const security = resolveSecurity(
        { ...ssl, 'ssl.truststore.location': '/ca.pem' },
        filesOf({ '/ca.pem': bagged }),
      );
      assert.deepEqual(security.ssl?.ca, [CA_BLOCK]);
    });

    it('splits a CA bundle into certificates and merges every CA source', () => {
      const security = resolveSecurity(
        {
          ...ssl,
          'ssl.truststore.type': 'PEM',
          'ssl.truststore.certificates': OTHER_CERT,
          'ssl.truststore.location': '/bundle.pem',
          'ssl.ca.location': '/rdkafka-ca.pem',
        },
        filesOf({ '/bundle.pem': `${CA}\n${CLIENT_CERT}\n`, '/rdkafka-ca.pem': OTHER_CERT }),
      );
      assert.deepEqual(security.ssl?.ca, [OTHER_CERT, CA_BLOCK, CLIENT_CERT, OTHER_CERT]);
    });

    it('treats librdkafka ssl.ca.location=probe as the system store', () => {
      assert.deepEqual(resolveSecurity({ ...ssl, 'ssl.ca.location': 'probe' }).ssl, {
        rejectUnauthorized: true,
        checkHostname: true,
      });
    });

    it('rejects a JKS or PKCS12 truststore with the keytool hint', () => {
      const jks = '\u00fe\u00ed\u00fe\u00ed\u0000\u0000\u0000\u0002binary';
      assert.equal(
        securityError(
          { ...ssl, 'ssl.truststore.location': '/x/truststore.jks' },
          { '/x/truststore.jks': jks },
        ),
        'truststore /x/truststore.jks is JKS/PKCS12; export the CA to PEM (keytool -exportcert -rfc) and set ssl.truststore.type=PEM',
      );
    });

    it('rejects a PEM truststore without certificates', () => {
      assert.equal(
        securityError(
          { ...ssl, 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': '/empty.pem' },
          { '/empty.pem': 'nothing here\n' },
        ),
        'ssl.truststore.location /empty.pem contains no PEM certificate',
      );
    });

    it('names the path and the property of a file that cannot be read', () => {
      assert.equal(
        securityError({ ...ssl, 'ssl.truststore.location': '/missing/ca.pem' }),
        'cannot read ssl.truststore.location /missing/ca.pem: ENOENT',
      );
      assert.equal(
        securityError({ ...ssl, 'ssl.ca.location': '$CA_FILE' }),
        'cannot read ssl.ca.location $CA_FILE: ENOENT',
      );
    });

    it('reads real files by default', () => {
      assert.throws(() => resolveSecurity({ ...ssl, 'ssl.ca.location': '/nonexistent/mirrorwatch/ca.pem' }), {
        message: 'cannot read ssl.ca.location /nonexistent/mirrorwatch/ca.pem: ENOENT',
      });
    });
  });

  describe('client certificate', () => {
    const ssl = { 'security.protocol': 'SSL' };

    it('reads key and certificate chain from a PEM keystore file with the key password', () => {
      const security = resolveSecurity(
        {
          ...ssl,
          'ssl.keystore.type': 'PEM',
          'ssl.keystore.location': '/user.pem',
          'ssl.key.password': 'kp',
        },
        filesOf({ '/user.pem': `${ENCRYPTED_KEY}\n${CLIENT_CERT}\n${CA}` }),
      );
      assert.deepEqual(security.ssl, {
        cert: `${CLIENT_CERT}\n${CA_BLOCK}`,
        key: ENCRYPTED_KEY,
        passphrase: 'kp',
        rejectUnauthorized: true,
        checkHostname: true,
      });
    });

    it('reads inline ssl.keystore.certificate.chain and ssl.keystore.key', () => {
      const security = resolveSecurity({
        ...ssl,
        'ssl.keystore.type': 'PEM',
        'ssl.keystore.certificate.chain': CLIENT_CERT,
        'ssl.keystore.key': CLIENT_KEY,
      });
      assert.equal(security.ssl?.cert, CLIENT_CERT);
      assert.equal(security.ssl?.key, CLIENT_KEY);
      assert.equal(security.ssl?.passphrase, undefined);
    });

    it('reads librdkafka ssl.certificate.location, ssl.key.location and ssl.key.password', () => {
      const security = resolveSecurity(
        {
          ...ssl,
          'ssl.certificate.location': '/client.crt',
          'ssl.key.location': '/client.key',
          'ssl.key.password': 'kp',
        },
        filesOf({ '/client.crt': CLIENT_CERT, '/client.key': CLIENT_KEY }),
      );
      assert.deepEqual(
        [security.ssl?.cert, security.ssl?.key, security.ssl?.passphrase],
        [CLIENT_CERT, CLIENT_KEY, 'kp'],
      );
    });

    it('rejects a certificate without key, a key without certificate and a JKS keystore', () => {
      assert.equal(
        securityError({ ...ssl, 'ssl.certificate.location': '/client.crt' }, { '/client.crt': CLIENT_CERT }),
        'ssl.certificate.location /client.crt is set without a private key (ssl.keystore.key or ssl.key.location)',
      );
      assert.equal(
        securityError({ ...ssl, 'ssl.keystore.key': CLIENT_KEY }),
        'ssl.keystore.key is set without a certificate (ssl.keystore.certificate.chain or ssl.certificate.location)',
      );
      assert.equal(
        securityError(
          { ...ssl, 'ssl.keystore.location': '/user.p12' },
          { '/user.p12': '0\u0082\u0003binary' },
        ),
        'keystore /user.p12 is JKS/PKCS12; export the key and certificate to one PEM file (openssl pkcs12 -nodes) and set ssl.keystore.type=PEM',
      );
      assert.equal(
        securityError(
          { ...ssl, 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': '/cert-only.pem' },
          { '/cert-only.pem': CLIENT_CERT },
        ),
        'ssl.keystore.location /cert-only.pem contains no PEM private key',
      );
    });
  });

  describe('verification switches', () => {
    it('turns the host name check off for an empty ssl.endpoint.identification.algorithm only', () => {
      const check = (props: ClientProperties): boolean | undefined =>
        resolveSecurity({ 'security.protocol': 'SSL', ...props }).ssl?.checkHostname;
      assert.equal(check({}), true);
      assert.equal(check({ 'ssl.endpoint.identification.algorithm': 'HTTPS' }), true);
      assert.equal(check({ 'ssl.endpoint.identification.algorithm': '' }), false);
      assert.equal(check({ 'ssl.endpoint.identification.algorithm': 'none' }), false);
      assert.equal(
        resolveSecurity({ 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': '' }).ssl
          ?.rejectUnauthorized,
        true,
      );
      assert.match(
        securityError({ 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': 'ldaps' }),
        /^ssl\.endpoint\.identification\.algorithm ldaps is not supported/,
      );
    });

    it('turns certificate verification off with librdkafka enable.ssl.certificate.verification=false', () => {
      const security = resolveSecurity({
        'security.protocol': 'SASL_SSL',
        'sasl.mechanism': 'PLAIN',
        'sasl.username': 'u',
        'sasl.password': 'p',
        'enable.ssl.certificate.verification': 'false',
      });
      assert.equal(security.ssl?.rejectUnauthorized, false);
    });
  });
});

describe('secrets never reach error messages', () => {
  const sasl = { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512' };
  const failing: Array<[string, ClientProperties, Record<string, string>]> = [
    ['unknown protocol', { 'security.protocol': `SASL_${PASSWORD}`, 'sasl.password': PASSWORD }, {}],
    ['a password given as the JAAS line', { ...sasl, 'sasl.jaas.config': PASSWORD }, {}],
    [
      'a JAAS line without username',
      {
        ...sasl,
        'sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required password="${PASSWORD}";`,
      },
      {},
    ],
    [
      'a JAAS line with an unterminated password',
      {
        ...sasl,
        'sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="${PASSWORD}`,
      },
      {},
    ],
    [
      'a JAAS module named like the password',
      { ...sasl, 'sasl.jaas.config': `${PASSWORD}LoginModule required username="u" password="${PASSWORD}";` },
      {},
    ],
    ['an unsupported mechanism', { ...sasl, 'sasl.mechanism': 'GSSAPI', 'sasl.jaas.config': SCRAM_JAAS }, {}],
    [
      'a truststore that cannot be read',
      {
        ...sasl,
        'sasl.jaas.config': SCRAM_JAAS,
        'ssl.truststore.location': '/nope',
        'ssl.truststore.password': PASSWORD,
      },
      {},
    ],
    [
      'a JKS truststore',
      { ...sasl, 'sasl.jaas.config': SCRAM_JAAS, 'ssl.truststore.location': '/t.jks' },
      { '/t.jks': `binary ${PASSWORD}` },
    ],
    [
      'a key without certificate',
      { 'security.protocol': 'SSL', 'ssl.keystore.key': CLIENT_KEY, 'ssl.key.password': PASSWORD },
      {},
    ],
    [
      'a keystore without key',
      {
        'security.protocol': 'SSL',
        'ssl.keystore.type': 'PEM',
        'ssl.keystore.location': '/k.pem',
        'ssl.key.password': PASSWORD,
      },
      { '/k.pem': `${CLIENT_CERT}\n${KEY_BODY}` },
    ],
    [
      'a bad endpoint algorithm',
      {
        'security.protocol': 'SSL',
        'ssl.endpoint.identification.algorithm': PASSWORD,
        'ssl.key.password': PASSWORD,
      },
      {},
    ],
  ];
  for (const [name, props, files] of failing) {
    it(`for ${name}`, () => {
      const message = securityError(props, files);
      assert.equal(message.includes(PASSWORD), false, message);
      assert.equal(message.includes(KEY_BODY), false, message);
    });
  }

  it('even when the file reader error message contains file contents', () => {
    const leaky = (): string => {
      throw new Error(`parse failure near ${PASSWORD}`);
    };
    assert.throws(
      () => resolveSecurity({ 'security.protocol': 'SSL', 'ssl.ca.location': '/ca.pem' }, leaky),
      { message: 'cannot read ssl.ca.location /ca.pem: unreadable' },
    );
  });
});

describe('secretValues and redact', () => {
  const props: ClientProperties = {
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'SCRAM-SHA-512',
    'sasl.jaas.config': String.raw`org.apache.kafka.common.security.scram.ScramLoginModule required username="mm2" password="cl0ud \"quoted\" pass";`,
    'ssl.truststore.location': '/etc/ca.pem',
    'ssl.truststore.password': 'changeit',
    'ssl.key.password': 'key-pass',
    'ssl.keystore.key': CLIENT_KEY,
    'sasl.username': 'librd-user',
    'sasl.password': 'librd-pass',
  };

  it('lists passwords, the JAAS line, its password and inline keys, longest first', () => {
    assert.deepEqual(secretValues(props), [
      props['sasl.jaas.config'],
      CLIENT_KEY,
      String.raw`cl0ud \"quoted\" pass`,
      'cl0ud "quoted" pass',
      'librd-pass',
      'changeit',
      'key-pass',
    ]);
  });

  it('leaves user names, mechanisms and paths alone', () => {
    const secrets = secretValues(props);
    for (const visible of ['mm2', 'librd-user', 'SCRAM-SHA-512', '/etc/ca.pem'])
      assert.equal(secrets.includes(visible), false);
  });

  it('replaces every occurrence of every secret by ***', () => {
    const text = [
      `login failed for mm2 with password cl0ud "quoted" pass`,
      `config: ${props['sasl.jaas.config']}`,
      `raw option: password="cl0ud \\"quoted\\" pass"`,
      'truststore changeit, key key-pass, librd-pass twice librd-pass',
      `key ${CLIENT_KEY}`,
    ].join('\n');
    assert.equal(
      redact(text, props),
      [
        'login failed for mm2 with password ***',
        'config: ***',
        'raw option: password="***"',
        'truststore ***, key ***, *** twice ***',
        'key ***',
      ].join('\n'),
    );
  });

  it('redacts the secrets of the SCRAM fixture clusters', async () => {
    const { parseMm2Config } = await import('../../source/config/mm2-config.js');
    const config = parseMm2Config(fixture('mm2-sasl-ssl-scram.properties'));
    const legacy = config.clusters.get('legacy')!.client;
    const cloud = config.clusters.get('cloud')!.client;
    assert.equal(redact('auth legacy-s3cret failed', legacy), 'auth *** failed');
    assert.equal(redact('auth cl0ud "quoted" pass failed', cloud), 'auth *** failed');
    assert.equal(redact('auth legacy-s3cret failed', cloud), 'auth legacy-s3cret failed');
  });
});

describe('clientPropertiesFromEnv', () => {
  const env: NodeJS.ProcessEnv = {
    MIRRORWATCH_SOURCE_SECURITY_PROTOCOL: 'SASL_SSL',
    MIRRORWATCH_SOURCE_SASL_MECHANISM: 'SCRAM-SHA-256',
    MIRRORWATCH_SOURCE_SASL_USERNAME: 'src-user',
    MIRRORWATCH_SOURCE_SASL_PASSWORD: 'src-pass',
    MIRRORWATCH_SOURCE_SSL_CA_LOCATION: '/etc/src-ca.pem',
    MIRRORWATCH_SOURCE_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM: '',
    MIRRORWATCH_SOURCE_BOOTSTRAP_SERVERS: 'not-a-security-setting:9092',
    MIRRORWATCH_TARGET_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
    MIRRORWATCH_TARGET_SASL_MECHANISM: 'SCRAM-SHA-512',
    MIRRORWATCH_TARGET_SASL_JAAS_CONFIG: SCRAM_JAAS,
    SOURCE_SECURITY_PROTOCOL: 'SSL',
  };

  it('maps MIRRORWATCH_SOURCE_* security variables to Kafka property names', () => {
    assert.deepEqual(clientPropertiesFromEnv(env, 'SOURCE'), {
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'SCRAM-SHA-256',
      'sasl.username': 'src-user',
      'sasl.password': 'src-pass',
      'ssl.ca.location': '/etc/src-ca.pem',
      'ssl.endpoint.identification.algorithm': '',
    });
  });

  it('keeps the target variables apart and resolves them', () => {
    const target = clientPropertiesFromEnv(env, 'TARGET');
    assert.deepEqual(target, {
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': SCRAM_JAAS,
    });
    assert.deepEqual(resolveSecurity(target).sasl, {
      mechanism: 'scram-sha-512',
      username: 'mm2',
      password: PASSWORD,
    });
  });

  it('resolves the source variables with the CA file', () => {
    const security = resolveSecurity(
      clientPropertiesFromEnv(env, 'SOURCE'),
      filesOf({ '/etc/src-ca.pem': CA }),
    );
    assert.deepEqual(security, {
      protocol: 'SASL_SSL',
      sasl: { mechanism: 'scram-sha-256', username: 'src-user', password: 'src-pass' },
      ssl: { ca: [CA_BLOCK], rejectUnauthorized: true, checkHostname: false },
    });
  });
});
