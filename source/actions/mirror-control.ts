/** Stopping and resuming the mirror: through Kafka Connect's REST API, or with the operator's own commands. */
import { spawn } from 'node:child_process';
import { ConnectRestClient, ConnectRestError } from '../mm2/connect-rest.js';
import type { ActionOutcome, MirrorControl } from './types.js';

const MIRROR_CONNECTOR = /Mirror(Source|Checkpoint|Heartbeat)Connector$/;

/** Connect 3.5+ (KIP-875) stops connectors (tasks shut down); older workers can only pause them. */
export class RestMirrorControl implements MirrorControl {
  private readonly client: ConnectRestClient;

  constructor(
    readonly url: string,
    authorization?: string,
  ) {
    this.client = new ConnectRestClient(url, 10_000, authorization);
  }

  describeStop(): string {
    return `PUT /connectors/<each MM2 connector>/stop on ${this.url} (pause on Connect before 3.5)`;
  }

  describeResume(): string {
    return `PUT /connectors/<each MM2 connector>/resume on ${this.url}`;
  }

  private async mirrorConnectors(): Promise<string[]> {
    return (await this.client.connectorNames()).filter((name) => MIRROR_CONNECTOR.test(name)).sort();
  }

  async stop(): Promise<ActionOutcome> {
    try {
      const names = await this.mirrorConnectors();
      if (names.length === 0) return { ok: false, message: `no MM2 connector on ${this.url}` };
      const done: string[] = [];
      for (const name of names) {
        try {
          await this.client.stop(name);
          done.push(`${name} stopped`);
        } catch (error) {
          if (error instanceof ConnectRestError && (error.status === 404 || error.status === 405)) {
            await this.client.pause(name);
            done.push(`${name} paused (this Connect has no stop)`);
          } else {
            throw error;
          }
        }
      }
      return { ok: true, message: `mirror stop requested: ${done.join(', ')}` };
    } catch (error) {
      return { ok: false, message: `mirror stop failed: ${(error as Error).message}` };
    }
  }

  async resume(): Promise<ActionOutcome> {
    try {
      const names = await this.mirrorConnectors();
      if (names.length === 0) return { ok: false, message: `no MM2 connector on ${this.url}` };
      for (const name of names) await this.client.resume(name);
      return { ok: true, message: `mirror resume requested: ${names.join(', ')}` };
    } catch (error) {
      return { ok: false, message: `mirror resume failed: ${(error as Error).message}` };
    }
  }
}

/** Runs a shell command with a time limit; its output's last line goes to the event log. */
export function runOperatorCommand(command: string, timeoutMs = 120_000): Promise<ActionOutcome> {
  return new Promise((resolvePromise) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ ok: false, message: `\`${command}\` could not start: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = output.trim().split('\n').pop() ?? '';
      const how = signal ? `killed by ${signal}` : `exit ${code}`;
      resolvePromise({ ok: code === 0, message: `\`${command}\` ${how}${last ? `: ${last}` : ''}` });
    });
  });
}

export class CommandMirrorControl implements MirrorControl {
  constructor(
    private readonly stopCommand: string,
    private readonly resumeCommand: string | null,
  ) {}

  describeStop(): string {
    return `run: ${this.stopCommand}`;
  }

  describeResume(): string {
    return this.resumeCommand ? `run: ${this.resumeCommand}` : 'no --mirror-resume-command given';
  }

  stop(): Promise<ActionOutcome> {
    return runOperatorCommand(this.stopCommand);
  }

  async resume(): Promise<ActionOutcome> {
    if (!this.resumeCommand) return { ok: false, message: 'no --mirror-resume-command given' };
    return runOperatorCommand(this.resumeCommand);
  }
}
