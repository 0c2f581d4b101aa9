import type { Argv } from 'yargs';
import { DEFAULT_MAX_BEHIND_SECONDS, DEFAULT_QUIET_SECONDS, type RunbookOptions } from '../model/runbook.js';
import { UserError } from './errors.js';

export interface RunbookArgs {
  'max-behind': number;
  'quiet-seconds': number;
  group?: string[];
}

/** The runbook's thresholds and groups, shared by `verify --runbook` and the console's Cutover pane. */
export function withRunbookOptions<T>(yargs: Argv<T>): Argv<T & RunbookArgs> {
  return yargs
    .option('max-behind', {
      type: 'number',
      default: DEFAULT_MAX_BEHIND_SECONDS,
      describe: 'runbook: seconds MM2 may be behind and still count as caught up',
    })
    .option('quiet-seconds', {
      type: 'number',
      default: DEFAULT_QUIET_SECONDS,
      describe:
        'runbook: seconds without a new record on the mirrored topics for producers to count as stopped',
    })
    .option('group', {
      type: 'string',
      array: true,
      describe:
        'runbook: only these consumer groups are moved (repeatable; default: every group on the mirrored topics)',
    }) as unknown as Argv<T & RunbookArgs>;
}

export function seconds(value: number, flag: string): number {
  if (!Number.isFinite(value) || value < 0) throw new UserError(`--${flag} takes seconds >= 0`);
  return value;
}

export function runbookOptionsFrom(args: RunbookArgs): RunbookOptions {
  return {
    maxBehindSeconds: seconds(args['max-behind'], 'max-behind'),
    quietSeconds: seconds(args['quiet-seconds'], 'quiet-seconds'),
    groups: args.group && args.group.length > 0 ? args.group.map(String) : null,
  };
}
