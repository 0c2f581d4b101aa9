import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, whether running from test/ (ts) or dist/test/ (compiled js). */
export const repoRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      readFileSync(join(dir, 'package.json'));
      return dir;
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error('package.json not found above test helpers');
})();

/** Reads a fixture from test/fixtures (fixtures are not compiled, so read them from the source tree). */
export function fixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

export function fixturePath(name: string): string {
  return join(repoRoot, 'test', 'fixtures', name);
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(repoRoot, 'test', 'fixtures', name));
}
