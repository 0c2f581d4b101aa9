/**
 * `http://user:password@host/...` for the metrics endpoint or Kafka Connect: the user and password
 * leave the URL, which is shown on screen and in errors, and travel as a Basic Authorization header;
 * the password joins the secrets scrubbed from everything printed.
 */
export interface UrlCredentials {
  authorization: string;
  /** The password as given and as decoded. */
  secrets: string[];
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Removes the user and password from `url` (in place) and returns them as a header; null without any. */
export function takeCredentials(url: URL): UrlCredentials | null {
  if (url.username === '' && url.password === '') return null;
  const user = decoded(url.username);
  const password = decoded(url.password);
  const secrets = [...new Set([url.password, password])].filter((s) => s.length > 0);
  url.username = '';
  url.password = '';
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, secrets };
}

/** A URL as typed, for an error about it: any password replaced by `***`. */
export function redactedUrl(value: string): string {
  return value.replace(/(\/\/[^/@\s]*?:)[^@/\s]*@/, '$1***@');
}
