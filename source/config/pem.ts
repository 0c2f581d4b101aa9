const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

export function looksLikePem(text: string): boolean {
  return text.trimStart().startsWith('-----BEGIN') || text.includes('\n-----BEGIN ');
}

export function pemCertificates(text: string): string[] {
  return text.match(CERTIFICATE) ?? [];
}

export function pemPrivateKey(text: string): string | undefined {
  return PRIVATE_KEY.exec(text)?.[0];
}
