import type { Argv } from 'yargs';
import { UserError } from './errors.js';

export interface ProbeArgs {
  probe?: string;
  'read-only': boolean;
}

/** `--probe TOPIC`, shared by the console and status. */
export function withProbeOption<T>(yargs: Argv<T>): Argv<T & { probe?: string }> {
  return yargs.option('probe', {
    type: 'string',
    describe:
      'end-to-end probe: write a small marker record (key mirrorwatch-probe) to partition 0 of TOPIC on the source and time its arrival on the target',
  }) as Argv<T & { probe?: string }>;
}

/** The probe topic, or null without --probe; the probe writes, so --read-only refuses it. */
export function probeTopicFrom(args: ProbeArgs): string | null {
  if (args.probe === undefined) return null;
  if (args['read-only'])
    throw new UserError('--probe writes marker records to the source cluster: not allowed with --read-only');
  const topic = String(args.probe).trim();
  if (topic === '') throw new UserError('--probe needs a topic name');
  return topic;
}
