/**
 * bin/mirrorwatch, the installed command: a shell launcher that starts node on bin/mirrorwatch.js with
 * the console's memory settings (README, Design notes: "The console's memory outside V8's heap"). These
 * run it through symlinks, as npm links it, with a `node` first on PATH that writes down what it was
 * given before it runs the real node; and check on a real node that V8 honours the young-generation size.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../helpers/fixtures.js';
import { CLI, LAUNCHER, run } from '../helpers/run.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
const version = pkg.version;

describe('bin/mirrorwatch, the launcher', () => {
  let dir = '';
  let record = '';
  let env: NodeJS.ProcessEnv = {};

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mirrorwatch-launcher-'));
    record = join(dir, 'node-was-given');
    mkdirSync(join(dir, 'path'));
    // A `node` that notes its arguments and the malloc setting, then is the real node.
    const node = join(dir, 'path', 'node');
    writeFileSync(
      node,
      `#!/bin/sh\nprintf '%s\\n' "MALLOC_TRIM_THRESHOLD_=$MALLOC_TRIM_THRESHOLD_" "MALLOC_MMAP_THRESHOLD_=$MALLOC_MMAP_THRESHOLD_" "$@" > '${record}'\nexec '${process.execPath}' "$@"\n`,
    );
    chmodSync(node, 0o755);
    // As npm links it: node_modules/.bin/mirrorwatch -> ../mirrorwatch/bin/mirrorwatch, relative.
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(repoRoot, join(dir, 'node_modules', 'mirrorwatch'));
    symlinkSync('../mirrorwatch/bin/mirrorwatch', join(dir, 'node_modules', '.bin', 'mirrorwatch'));
    // And a link to that link, absolute.
    symlinkSync(join(dir, 'node_modules', '.bin', 'mirrorwatch'), join(dir, 'mw'));
    const { MALLOC_TRIM_THRESHOLD_: _trim, MALLOC_MMAP_THRESHOLD_: _mmap, ...rest } = process.env;
    env = { ...rest, PATH: `${join(dir, 'path')}:${process.env.PATH}` };
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  function given(): string[] {
    return readFileSync(record, 'utf8').trimEnd().split('\n');
  }

  for (const via of ['node_modules/.bin/mirrorwatch', 'mw']) {
    it(`runs mirrorwatch through ${via} with the young generation at 2 x 4 MB and glibc's thresholds fixed`, async () => {
      const result = await run(join(dir, via), ['--version'], { env, timeoutMs: 30_000 });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), version);
      const [trim, mmap, flag, script, ...rest] = given();
      assert.equal(trim, 'MALLOC_TRIM_THRESHOLD_=131072');
      assert.equal(mmap, 'MALLOC_MMAP_THRESHOLD_=16384');
      assert.equal(flag, '--max-semi-space-size=4');
      // Found through the links: the package's own bin/mirrorwatch.js.
      assert.equal(realpathSync(script as string), realpathSync(CLI));
      assert.deepEqual(rest, ['--version']);
    });
  }

  it('keeps thresholds the user set, and passes every argument through as given', async () => {
    const result = await run(LAUNCHER, ['status', '--source', 'a b', '--json'], {
      env: { ...env, MALLOC_TRIM_THRESHOLD_: '65536', MALLOC_MMAP_THRESHOLD_: '131072' },
      timeoutMs: 30_000,
    });
    const [trim, mmap, ...args] = given();
    assert.equal(trim, 'MALLOC_TRIM_THRESHOLD_=65536');
    assert.equal(mmap, 'MALLOC_MMAP_THRESHOLD_=131072');
    assert.deepEqual(args, ['--max-semi-space-size=4', CLI, 'status', '--source', 'a b', '--json']);
    // The real program ran: a bad bootstrap address is its one-line error, not the launcher's.
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /^mirrorwatch: /);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  });

  it('is the command npm installs, and what npm start runs', () => {
    assert.deepEqual(pkg.bin, { mirrorwatch: 'bin/mirrorwatch' });
    assert.match(pkg.scripts.start ?? '', /&& bin\/mirrorwatch lab up --traffic && bin\/mirrorwatch --lab$/);
  });

  it("glibc serves buffers of 20 KB from mappings of their own under the launcher's mmap threshold", (t) => {
    // Only glibc reads these variables; elsewhere the launcher's setting does nothing.
    const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
    if (!header?.glibcVersionRuntime) {
      t.skip('not glibc');
      return;
    }
    // How much malloc's main heap ([heap] in /proc/self/maps) grows while 8 MB of 20 KB buffers are held.
    const script =
      'import { readFileSync } from "node:fs";' +
      'const heap = () => { const l = readFileSync("/proc/self/maps", "utf8").split("\\n").find((x) => x.endsWith("[heap]"));' +
      ' if (!l) return 0; const [a, b] = l.split(" ")[0].split("-").map((h) => parseInt(h, 16)); return b - a; };' +
      'const before = heap(); const held = []; for (let i = 0; i < 400; i++) held.push(Buffer.alloc(20480, i));' +
      'console.log(((heap() - before) / 1048576).toFixed(1), held.length);';
    const { MALLOC_TRIM_THRESHOLD_: _trim, MALLOC_MMAP_THRESHOLD_: _mmap, ...rest } = process.env;
    const grewMb = (extra: NodeJS.ProcessEnv) =>
      Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], {
          encoding: 'utf8',
          env: { ...rest, ...extra },
        }).split(' ')[0],
      );
    assert.ok(grewMb({}) >= 7, 'without the setting, the buffers come from the heap');
    assert.ok(grewMb({ MALLOC_MMAP_THRESHOLD_: '16384' }) < 1, 'with it, each has its own mapping');
  });

  it("V8 keeps the young generation at 2 x 4 MB under the launcher's flag (2 x 16 MB without it)", () => {
    // Objects that outlive a collection make V8 grow the young generation up to its maximum.
    const script =
      'import v8 from "node:v8"; let max = 0; let keep = [];' +
      'for (let r = 0; r < 60; r++) { for (let i = 0; i < 200000; i++) { keep.push({ i, s: "x" + i });' +
      ' if (keep.length > 300000) keep = keep.slice(150000); }' +
      ' const n = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;' +
      ' if (n > max) max = n; } console.log(max / 1048576);';
    const youngMb = (flags: string[]) =>
      Number(
        execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' }),
      );
    assert.equal(youngMb(['--max-semi-space-size=4']), 8);
    assert.ok(youngMb([]) > 8);
  });
});
