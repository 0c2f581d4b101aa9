import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './fixtures.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion, never throwing on a non-zero exit; bounded by `timeoutMs`. */
export function run(
  command: string,
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      command,
      args,
      {
        timeout: options.timeoutMs ?? 120_000,
        env: options.env ?? process.env,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'buffer',
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export const CLI = join(repoRoot, 'bin', 'mirrorwatch.js');
/** The installed command: bin/mirrorwatch, a shell launcher that starts node on CLI with its memory settings. */
export const LAUNCHER = join(repoRoot, 'bin', 'mirrorwatch');

/** Runs the mirrorwatch CLI as a user would (`node bin/mirrorwatch.js`). */
export function mirrorwatch(
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], options);
}

/** Runs the installed command, bin/mirrorwatch (the launcher, with its memory settings). */
export function installedMirrorwatch(
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return run(LAUNCHER, args, options);
}

/** kcat, the independent client the tests cross-check against. */
export function kcat(args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return run('kcat', args, { timeoutMs });
}

/** Produces one record with kcat (value from stdin). */
export function kcatProduce(brokers: string, topic: string, value: string, key?: string): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const args = ['-P', '-b', brokers, '-t', topic, ...(key ? ['-K', '\t'] : [])];
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout: '', stderr }));
    child.stdin.end(key ? `${key}\t${value}\n` : `${value}\n`);
  });
}

/** Kafka's own CLI classes, run from the lab's jars. */
export function kafkaTool(
  libDir: string,
  mainClass: string,
  args: string[],
  timeoutMs = 120_000,
): Promise<RunResult> {
  return run('java', ['-Xmx256m', '-Dlog4j2.level=ERROR', '-cp', `${libDir}/*`, mainClass, ...args], {
    timeoutMs,
  });
}

export type Isolation = 'read_committed' | 'read_uncommitted';

/**
 * kcat reading a whole topic from the beginning to its end, one line per record in `format`
 * (read_committed is librdkafka's default; mirrorwatch and MM2 read uncommitted).
 */
export async function kcatReadTopic(
  brokers: string,
  topic: string,
  isolation: Isolation,
  format: string,
): Promise<string[]> {
  const result = await kcat(
    [
      '-C',
      '-b',
      brokers,
      '-t',
      topic,
      '-o',
      'beginning',
      '-e',
      '-q',
      '-X',
      `isolation.level=${isolation}`,
      '-f',
      format,
    ],
    60_000,
  );
  if (result.code !== 0) throw new Error(`kcat ${topic}: ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '');
}

/**
 * kcat's `format` of the record at `offset` of a partition (kcat's -o: a number, `beginning`, or -1 for
 * the last), read alone.
 */
export async function kcatRecordAt(
  brokers: string,
  topic: string,
  partition: number,
  offset: string,
  format: string,
): Promise<string> {
  const read = await kcat(
    [
      '-C',
      '-b',
      brokers,
      '-t',
      topic,
      '-p',
      String(partition),
      '-o',
      offset,
      '-c',
      '1',
      '-e',
      '-q',
      '-f',
      format,
    ],
    30_000,
  );
  if (read.code !== 0) throw new Error(`kcat ${topic}/${partition} at ${offset}: ${read.stderr}`);
  return read.stdout.trim();
}
