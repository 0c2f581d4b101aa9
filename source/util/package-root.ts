import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding mirrorwatch's package.json, from source/ (ts) or dist/source/ (compiled js). */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('mirrorwatch: package.json not found');
    dir = parent;
  }
  return dir;
})();
