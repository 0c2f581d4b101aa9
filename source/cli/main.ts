import yargs from 'yargs';
import { compareCommand } from './commands/compare.js';
import { consoleCommand } from './commands/console.js';
import { consumeCommand } from './commands/consume.js';
import { lagCommand } from './commands/lag.js';
import { statusCommand } from './commands/status.js';
import { topicsCommand } from './commands/topics.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT, oneLine, UserError } from './errors.js';
import { labCommand } from './lab-command.js';

function report(error: unknown): number {
  if (error instanceof UserError) {
    process.stderr.write(`mirrorwatch: ${oneLine(error.message)}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`mirrorwatch: internal error: ${oneLine(message)}\n`);
  if (process.env.MIRRORWATCH_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
  return EXIT.internal;
}

export async function main(argv: string[]): Promise<number> {
  let parser = yargs(argv).scriptName('mirrorwatch').strict();
  parser = consoleCommand(parser);
  parser = statusCommand(parser);
  parser = topicsCommand(parser);
  parser = lagCommand(parser);
  parser = consumeCommand(parser);
  parser = verifyCommand(parser);
  parser = compareCommand(parser);
  parser = parser
    .command(
      'lab',
      'run a local migration lab: two Kafka clusters with MirrorMaker 2 between them',
      labCommand,
    )
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    // Throwing here (not just recording the message) matters: with a default command, yargs would
    // otherwise still run the handler after reporting an unknown flag or command.
    .fail((message, error) => {
      if (error) throw error;
      throw new UserError(`${oneLine(message)} (see mirrorwatch --help)`, EXIT.usage);
    })
    .exitProcess(false);
  try {
    await parser.parseAsync();
  } catch (error) {
    return report(error);
  }
  return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
}
