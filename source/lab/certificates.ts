import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LabError } from './errors.js';

const run = promisify(execFile);

export const SCRAM_USER = 'mirrorwatch';
export const SCRAM_MECHANISM = 'SCRAM-SHA-512';

export interface SecureMaterial {
  caFile: string;
  keystorePem: string;
  username: string;
  passwordFile: string;
  /** Kafka client properties for the target (password included: mode 0600). */
  clientProperties: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new LabError('openssl not found: the secure lab needs it (apt-get install -y openssl)');
    throw new LabError(`openssl ${args[0]} failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`);
  }
}

/**
 * A CA and a broker certificate for 127.0.0.1/localhost, generated at first start and kept in the
 * state directory, plus a SCRAM password for the lab's user.
 */
export async function ensureSecureMaterial(dir: string): Promise<SecureMaterial> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const material: SecureMaterial = {
    caFile: join(dir, 'ca.pem'),
    keystorePem: join(dir, 'broker-keystore.pem'),
    username: SCRAM_USER,
    passwordFile: join(dir, 'password'),
    clientProperties: join(dir, 'client.properties'),
  };
  if (!existsSync(material.keystorePem)) {
    await openssl(
      ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'ca.key'],
      dir,
    );
    await openssl(
      [
        'req',
        '-x509',
        '-new',
        '-key',
        'ca.key',
        '-days',
        '3650',
        '-subj',
        '/CN=mirrorwatch-lab-ca',
        '-out',
        'ca.pem',
      ],
      dir,
    );
    await openssl(
      ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'broker.key'],
      dir,
    );
    await openssl(['req', '-new', '-key', 'broker.key', '-subj', '/CN=localhost', '-out', 'broker.csr'], dir);
    writeFileSync(
      join(dir, 'broker.ext'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    );
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        'broker.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '3650',
        '-extfile',
        'broker.ext',
        '-out',
        'broker.pem',
      ],
      dir,
    );
    const keystore = [join(dir, 'broker.key'), join(dir, 'broker.pem'), material.caFile]
      .map((file) => readFileSync(file, 'utf8').trim())
      .join('\n');
    writeFileSync(material.keystorePem, `${keystore}\n`, { mode: 0o600 });
  }
  if (!existsSync(material.passwordFile)) {
    writeFileSync(material.passwordFile, randomBytes(12).toString('hex'), { mode: 0o600 });
  }
  const password = readFileSync(material.passwordFile, 'utf8').trim();
  writeFileSync(
    material.clientProperties,
    [
      'security.protocol=SASL_SSL',
      `sasl.mechanism=${SCRAM_MECHANISM}`,
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${SCRAM_USER}" password="${password}";`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${material.caFile}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  chmodSync(material.clientProperties, 0o600);
  return material;
}

export function readPassword(material: Pick<SecureMaterial, 'passwordFile'>): string {
  return readFileSync(material.passwordFile, 'utf8').trim();
}
