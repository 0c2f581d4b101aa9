import type { ClientProperties } from './client-properties.js';
import { parseJaasConfig } from './jaas.js';

const SECRET_PROPERTIES = new Set(['sasl.jaas.config', 'ssl.keystore.key', 'ssl.key.pem']);
const SECRET_JAAS_OPTION = /password|secret|token/i;

/** Passwords, secrets and inline private keys: `sasl.password`, `ssl.key.password`, `*.secret`... */
function isSecretProperty(key: string): boolean {
  return SECRET_PROPERTIES.has(key) || /(password|secret)$/i.test(key);
}

/** Every secret a text could contain, longest first so a whole JAAS line is redacted before its password. */
export function secretValues(props: ClientProperties): string[] {
  const secrets = new Set<string>();
  for (const [key, value] of Object.entries(props)) {
    if (isSecretProperty(key)) secrets.add(value).add(value.trim());
  }
  const jaas = props['sasl.jaas.config'];
  if (jaas !== undefined) {
    const entry = parseJaasConfig(jaas);
    for (const options of [entry.options, entry.rawOptions]) {
      for (const [name, value] of options) if (SECRET_JAAS_OPTION.test(name)) secrets.add(value);
    }
  }
  secrets.delete('');
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** Replaces every secret value of `props` found in `text` by `***`. */
export function redact(text: string, props: ClientProperties): string {
  let redacted = text;
  for (const secret of secretValues(props)) redacted = redacted.split(secret).join('***');
  return redacted;
}
