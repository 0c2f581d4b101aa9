#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// React's development build makes every redraw of the console several times slower.
process.env.NODE_ENV ??= 'production';

// `mirrorwatch status --json | head`: a reader that closed the pipe ends the command quietly, as it
// does for other Unix tools (the rest of the output has nowhere to go), not with a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });

const entry = new URL('../dist/source/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("mirrorwatch: not built yet: run 'npm run build' in the mirrorwatch directory\n");
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
