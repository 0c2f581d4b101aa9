/**
 * The test entry point (`npm test`): brings up the shared lab on its own ports, runs every test file
 * with node's test runner against it, then stops the lab. `npm test -- unit` runs only the unit tests.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers/fixtures.js';
import { SHARED_LAB_DIR, SHARED_LAB_OFFSET } from './helpers/lab.js';
import { mirrorwatch } from './helpers/run.js';

const SUITES = ['unit', 'ui', 'lab', 'cli', 'e2e'];
/** Suites that run against real Kafka. */
const LAB_SUITES = new Set(['lab', 'cli', 'e2e']);

function runNodeTests(dirs: string[]): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(
      process.execPath,
      ['--test', '--test-concurrency=1', '--test-reporter=spec', ...dirs],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          MIRRORWATCH_TEST_LAB_DIR: SHARED_LAB_DIR,
          MIRRORWATCH_TEST_LAB_OFFSET: String(SHARED_LAB_OFFSET),
        },
      },
    );
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

async function main(): Promise<number> {
  const requested = process.argv.slice(2);
  const suites = (requested.length > 0 ? requested : SUITES).filter((suite) =>
    existsSync(join(repoRoot, 'dist', 'test', suite)),
  );
  const needsLab = suites.some((suite) => LAB_SUITES.has(suite));
  if (needsLab) {
    // Start from an empty lab: topics and groups left by an earlier run change what the tests see.
    if (!process.env.MIRRORWATCH_TEST_KEEP_LAB)
      await mirrorwatch(['lab', 'reset', '--state-dir', SHARED_LAB_DIR], { timeoutMs: 120_000 });
    process.stdout.write(
      `test: starting the shared lab in ${SHARED_LAB_DIR} (port offset ${SHARED_LAB_OFFSET})\n`,
    );
    const up = await mirrorwatch(
      ['lab', 'up', '--state-dir', SHARED_LAB_DIR, '--port-offset', String(SHARED_LAB_OFFSET)],
      { timeoutMs: 900_000 },
    );
    process.stdout.write(up.stdout);
    process.stderr.write(up.stderr);
    if (up.code !== 0) return up.code;
  }
  try {
    return await runNodeTests(suites.map((suite) => join(repoRoot, 'dist', 'test', suite)));
  } finally {
    if (needsLab && !process.env.MIRRORWATCH_TEST_KEEP_LAB) {
      await mirrorwatch(['lab', 'down', '--state-dir', SHARED_LAB_DIR], { timeoutMs: 120_000 });
    }
  }
}

process.exitCode = await main();
