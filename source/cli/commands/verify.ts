import type { Argv } from 'yargs';
import { checkStatus, cutoverGate, type GateCheck, groupGateChecks } from '../../model/cutover.js';
import { assess } from '../../model/verdict.js';
import type { Snapshot } from '../../monitor/snapshot.js';
import { glyphsFor, prefersAscii } from '../../ui/glyphs.js';
import {
  type ConnectionArgs,
  connectionFrom,
  connectionsFrom,
  metricsTimeoutMs,
  withConnectionOptions,
} from '../connection-options.js';
import { EXIT } from '../errors.js';
import { cell, json } from '../format.js';
import { type RunbookArgs, runbookOptionsFrom, seconds, withRunbookOptions } from '../runbook-options.js';
import { snapshotOnce } from '../snapshot-once.js';
import { DEFAULT_SAMPLE_SECONDS, verifyRunbook } from './verify-runbook.js';

/** Up to this many checks are printed one a line; more are counted by reason (`--all` prints all). */
export const VERIFY_LIST_LIMIT = 30;
/** Checks shown under each reason when they are counted. */
const WORST_SHOWN = 3;

function checkLine(c: GateCheck): string {
  return `${checkStatus(c).padEnd(4)}  ${cell(c.subject)}: ${cell(c.detail)}`;
}

/** One line per reason with its count, then the worst few of each failing reason; about 40 lines at most. */
export function groupedVerifyText(checks: readonly GateCheck[]): string[] {
  const lines: string[] = [];
  for (const group of groupGateChecks(checks)) {
    lines.push(`${group.status.padEnd(4)}  ${group.checks.length} ${group.label}`);
    if (group.status === 'ok') continue;
    for (const c of group.checks.slice(0, WORST_SHOWN))
      lines.push(`        ${cell(c.subject)}: ${cell(c.detail)}`);
    if (group.checks.length > WORST_SHOWN)
      lines.push(`        ... ${group.checks.length - WORST_SHOWN} more (--all lists them, --json has them)`);
  }
  return lines;
}

interface VerifyArgs extends ConnectionArgs, RunbookArgs {
  all: boolean;
  runbook: boolean;
  sample: number;
}

export function verifyCommand(yargs: Argv) {
  return yargs.command<VerifyArgs>(
    'verify',
    'the cutover gate: are topics copied, consumers caught up and group offsets translated? exit 0 ready, 1 not ready, 2 unreachable',
    (y) =>
      withRunbookOptions(withConnectionOptions(y))
        .option('all', {
          type: 'boolean',
          default: false,
          describe: `print every check (by default more than ${VERIFY_LIST_LIMIT} are counted by reason)`,
        })
        .option('runbook', {
          type: 'boolean',
          default: false,
          describe:
            'the migration runbook step by step (topics and configs, MM2 caught up, producers stopped, groups drained, offsets synced, groups on the target, mirror stopped); samples for --sample seconds first',
        })
        .option('sample', {
          type: 'number',
          default: DEFAULT_SAMPLE_SECONDS,
          describe: `with --runbook: seconds to watch offsets before judging (default ${DEFAULT_SAMPLE_SECONDS}); producers stopped also uses the newest record timestamps`,
        }),
    async (args) => {
      if (args.runbook) {
        // The runbook of one flow: the first, or the one --flow names.
        await verifyRunbook(connectionFrom(args), {
          sampleSeconds: seconds(args.sample, 'sample'),
          options: runbookOptionsFrom(args),
          json: args.json,
          debug: args.debug,
          metricsTimeoutMs: metricsTimeoutMs(args),
          glyphs: glyphsFor(prefersAscii(process.env)),
        });
        return;
      }
      const results: Array<{ flow: string; snapshot: Snapshot; gate: ReturnType<typeof cutoverGate> }> = [];
      for (const connection of connectionsFrom(args)) {
        const snapshot = await snapshotOnce(connection, {
          debug: args.debug,
          metricsTimeoutMs: metricsTimeoutMs(args),
        });
        const flow = `${snapshot.flow.source}->${snapshot.flow.target}`;
        results.push({ flow, snapshot, gate: cutoverGate(snapshot) });
      }
      const several = results.length > 1;
      if (args.json) {
        const docs = results.map(({ flow, snapshot, gate }) => ({
          flow,
          ready: gate.ready,
          takenAt: new Date(snapshot.takenAtMs).toISOString(),
          checks: gate.checks,
        }));
        // One flow: the document as before, naming its flow; several: the first's, every flow in `flows`.
        const first = docs[0]!;
        process.stdout.write(
          json(several ? { ...first, ready: docs.every((d) => d.ready), flows: docs } : first),
        );
      } else {
        const text = results.map(({ flow, gate }) => {
          const lines =
            args.all || gate.checks.length <= VERIFY_LIST_LIMIT
              ? gate.checks.map(checkLine)
              : groupedVerifyText(gate.checks);
          const failing = gate.checks.filter((c) => !c.ok && c.blocking).length;
          return `${several ? `flow ${cell(flow)}\n` : ''}${lines.join('\n')}\n${gate.ready ? 'READY for cutover' : `NOT READY: ${failing} blocking check(s) failed`}\n`;
        });
        process.stdout.write(text.join('\n'));
      }
      process.exitCode = Math.max(
        ...results.map(({ snapshot, gate }) =>
          assess(snapshot).verdict === 'unreachable'
            ? EXIT.unreachable
            : gate.ready
              ? EXIT.ok
              : EXIT.degraded,
        ),
      );
    },
  );
}
