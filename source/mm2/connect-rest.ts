import { fetchFailureReason } from '../util/network-error.js';

/** A small client for the Kafka Connect REST API, bounded in time on every call. */

export interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id?: string; trace?: string };
  tasks: Array<{ id: number; state: string; worker_id?: string; trace?: string }>;
  type?: string;
}

export class ConnectRestError extends Error {
  override name = 'ConnectRestError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class ConnectRestClient {
  readonly baseUrl: string;

  /** `authorization`: a Basic header from credentials given in the URL (config/url-credentials.ts). */
  constructor(
    baseUrl: string,
    private readonly timeoutMs = 5000,
    private readonly authorization?: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ConnectRestError(
        `Kafka Connect at ${this.baseUrl} unreachable: ${fetchFailureReason(error, this.timeoutMs)}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let detail = text.trim().slice(0, 200);
      try {
        detail = (JSON.parse(text) as { message?: string }).message ?? detail;
      } catch {
        // not JSON: keep the text
      }
      throw new ConnectRestError(
        `Kafka Connect ${method} ${path}: HTTP ${response.status} ${detail}`.trim(),
        response.status,
      );
    }
    if (text.length === 0) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new ConnectRestError(
        `Kafka Connect ${method} ${path}: answer is not JSON (is ${this.baseUrl} a Connect worker?)`,
      );
    }
  }

  private static path(name: string): string {
    return `/connectors/${encodeURIComponent(name)}`;
  }

  async version(): Promise<{ version: string; commit?: string; kafka_cluster_id?: string }> {
    return (await this.request('GET', '/')) as { version: string };
  }

  async connectorNames(): Promise<string[]> {
    return (await this.request('GET', '/connectors')) as string[];
  }

  /** Every connector with its status, in one request. */
  async statuses(): Promise<ConnectorStatus[]> {
    const expanded = (await this.request('GET', '/connectors?expand=status')) as Record<
      string,
      { status: ConnectorStatus }
    >;
    return Object.values(expanded).map((entry) => entry.status);
  }

  /** Every connector's configuration, in one request. */
  async configs(): Promise<Array<Record<string, string>>> {
    const expanded = (await this.request('GET', '/connectors?expand=info')) as Record<
      string,
      { info?: { config?: Record<string, string> } }
    >;
    return Object.values(expanded).flatMap((entry) => (entry.info?.config ? [entry.info.config] : []));
  }

  async status(name: string): Promise<ConnectorStatus> {
    return (await this.request('GET', `${ConnectRestClient.path(name)}/status`)) as ConnectorStatus;
  }

  async putConfig(name: string, config: Record<string, string>): Promise<void> {
    await this.request('PUT', `${ConnectRestClient.path(name)}/config`, config);
  }

  async stop(name: string): Promise<void> {
    await this.request('PUT', `${ConnectRestClient.path(name)}/stop`);
  }

  async pause(name: string): Promise<void> {
    await this.request('PUT', `${ConnectRestClient.path(name)}/pause`);
  }

  async resume(name: string): Promise<void> {
    await this.request('PUT', `${ConnectRestClient.path(name)}/resume`);
  }

  /** KIP-875 (Connect 3.5+): the source offsets a connector has committed. */
  async offsets(
    name: string,
  ): Promise<Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }>> {
    const body = (await this.request('GET', `${ConnectRestClient.path(name)}/offsets`)) as {
      offsets: Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }>;
    };
    return body.offsets ?? [];
  }
}
