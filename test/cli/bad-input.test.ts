import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixture, repoRoot } from '../helpers/fixtures.js';
import { SHARED_LAB_DIR, sharedLab } from '../helpers/lab.js';
import { mirrorwatch, type RunResult } from '../helpers/run.js';

const LAB = ['--lab', SHARED_LAB_DIR];

/** One line on stderr, no stack trace. */
function oneLineError(result: RunResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `exit code; stderr: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${result.stderr}`);
  assert.match(lines[0]!, /^mirrorwatch: /);
  assert.match(lines[0]!, pattern);
  assert.ok(!/\n\s+at /.test(result.stderr));
}

describe('bad input: one clear line and a non-zero exit', () => {
  it('a malformed bootstrap address', async () => {
    const result = await mirrorwatch(['topics', '--source', 'nohost', '--target', '127.0.0.1:9092']);
    oneLineError(result, 3, /bad source bootstrap address 'nohost': expected host:port/);
  });

  it('an unreachable bootstrap, within a bounded time', async () => {
    const started = Date.now();
    const result = await mirrorwatch([
      'topics',
      '--cluster',
      'source',
      '--source',
      '127.0.0.1:1',
      '--target',
      '127.0.0.1:2',
    ]);
    oneLineError(result, 2, /source cluster \(127\.0\.0\.1:1\): cannot connect: connection refused/);
    assert.ok(Date.now() - started < 30_000);
  });

  it('an unknown topic', async () => {
    await sharedLab();
    const result = await mirrorwatch(['consume', '--cluster', 'source', '--topic', 'no-such-topic', ...LAB]);
    oneLineError(result, 3, /unknown topic 'no-such-topic' on the source cluster/);
  });

  it('an unknown group', async () => {
    const result = await mirrorwatch(['lag', '--group', 'no-such-group', ...LAB]);
    oneLineError(result, 3, /unknown group 'no-such-group' on the source and target clusters/);
  });

  it('an unreachable metrics URL marks status degraded with the reason', async () => {
    const result = await mirrorwatch([
      'status',
      '--json',
      '--metrics-url',
      'http://127.0.0.1:39999/metrics',
      ...LAB,
    ]);
    assert.equal(result.code, 1);
    const doc = JSON.parse(result.stdout);
    assert.equal(doc.verdict, 'degraded');
    assert.ok(
      doc.problems.includes('metrics endpoint http://127.0.0.1:39999/metrics unreachable: ECONNREFUSED'),
      doc.problems.join('|'),
    );
  });

  it('a metrics URL that does not serve Prometheus text', async () => {
    const lab = await sharedLab();
    const result = await mirrorwatch([
      'status',
      '--json',
      '--metrics-url',
      `${lab.connect.url}/connectors`,
      ...LAB,
    ]);
    assert.equal(result.code, 1);
    const doc = JSON.parse(result.stdout);
    assert.ok(
      doc.problems.some((p: string) =>
        p.startsWith(`metrics endpoint ${lab.connect.url}/connectors is not Prometheus text`),
      ),
      doc.problems.join('|'),
    );
  });

  it('a malformed mm2.properties', async () => {
    assert.ok(fixture('mm2-malformed.properties').length > 0);
    const result = await mirrorwatch([
      'topics',
      '--mm2-config',
      `${repoRoot}/test/fixtures/mm2-malformed.properties`,
    ]);
    oneLineError(result, 3, /mm2-malformed\.properties/);
  });

  it('a missing mm2.properties', async () => {
    const result = await mirrorwatch(['status', '--mm2-config', '/nonexistent/mm2.properties']);
    oneLineError(result, 3, /cannot read MM2 properties \/nonexistent\/mm2\.properties: no such file/);
  });

  it('an unknown command or flag', async () => {
    // Nothing runs: not the command, not the default console command.
    for (const args of [['topics', '--frobnicate'], ['frobnicate'], ['topics', '--cluster', 'nope']]) {
      const result = await mirrorwatch(args);
      oneLineError(result, 3, /Unknown argument: frobnicate|Invalid values: Argument: cluster/);
    }
  });

  it('lab up with settings that cannot go together starts nothing', async () => {
    const stateDir = `${SHARED_LAB_DIR}-never-started`;
    for (const [args, pattern] of [
      [['--mirror', 'mm1'], /add --source-version 2\.8/],
      [['--flows', 'both', '--mirror', 'mm1', '--source-version', '2.8'], /MirrorMaker 1 .* has one flow/],
      [['--flows', 'both', '--mm2', 'dedicated'], /use it with --mm2 connect/],
      [['--mm2-interval', '0'], /--mm2-interval takes a whole number of seconds from 1 to 3600/],
      [['--mm2-interval', 'soon'], /--mm2-interval takes a whole number of seconds from 1 to 3600/],
    ] as const) {
      const result = await mirrorwatch(['lab', 'up', '--state-dir', stateDir, ...args]);
      oneLineError(result, 3, pattern);
    }
    assert.equal(existsSync(stateDir), false, 'no lab state written');
  });

  it('lab subcommands take --lab DIR as the console does (--state-dir by its other name)', async () => {
    const stateDir = `${SHARED_LAB_DIR}-never-started`;
    for (const flag of ['--lab', '--state-dir']) {
      const result = await mirrorwatch(['lab', 'status', '--json', flag, stateDir]);
      assert.equal(result.code, 2, `a stopped lab, exit 2: ${result.stderr}`);
      assert.equal(JSON.parse(result.stdout).stateDir, stateDir, flag);
    }
    // scale on a lab that is not running: its own error, not "Unknown argument: lab".
    const scale = await mirrorwatch(['lab', 'scale', '--lab', stateDir, '--topics', '1']);
    assert.notEqual(scale.code, 0);
    assert.doesNotMatch(scale.stderr, /Unknown argument/);
    assert.equal(scale.stderr.trim().split('\n').length, 1, scale.stderr);
    // Both names at once: one directory is meant, and nothing starts.
    const twice = await mirrorwatch(['lab', 'up', '--lab', stateDir, '--state-dir', `${stateDir}-2`]);
    oneLineError(twice, 3, /give the lab directory once \(--lab or --state-dir\)/);
    assert.equal(existsSync(stateDir), false, 'no lab state written');
    assert.equal(existsSync(`${stateDir}-2`), false, 'no lab state written');
  });

  it('the console piped or redirected points to the plain commands', async () => {
    const result = await mirrorwatch(LAB);
    oneLineError(
      result,
      3,
      /the console needs a terminal .*mirrorwatch status \| topics \| lag \| consume \| verify/,
    );
  });

  it('a reader that closes the pipe early (status --json | head) ends the command quietly', async () => {
    await sharedLab();
    // The pipe closed before the first write: the write fails with EPIPE while the command is still
    // disconnecting from the clusters, which used to end in an unhandled 'error' event and a stack trace.
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin', 'mirrorwatch.js'), 'status', ...LAB, '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});
