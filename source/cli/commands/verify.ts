import type { Argv } from 'yargs';
import { cutoverGate } from '../../model/cutover.js';
import { assess } from '../../model/verdict.js';
import {
  type ConnectionArgs,
  connectionFrom,
  metricsTimeoutMs,
  withConnectionOptions,
} from '../connection-options.js';
import { EXIT } from '../errors.js';
import { cell, json } from '../format.js';
import { snapshotOnce } from '../snapshot-once.js';

export function verifyCommand(yargs: Argv) {
  return yargs.command<ConnectionArgs>(
    'verify',
    'the cutover gate: are topics copied, consumers caught up and group offsets translated? exit 0 ready, 1 not ready, 2 unreachable',
    (y) => withConnectionOptions(y),
    async (args) => {
      const snapshot = await snapshotOnce(connectionFrom(args), {
        debug: args.debug,
        metricsTimeoutMs: metricsTimeoutMs(args),
      });
      const gate = cutoverGate(snapshot);
      if (args.json) {
        process.stdout.write(
          json({
            ready: gate.ready,
            takenAt: new Date(snapshot.takenAtMs).toISOString(),
            checks: gate.checks,
          }),
        );
      } else {
        const lines = gate.checks.map(
          (c) => `${c.ok ? 'ok  ' : c.blocking ? 'FAIL' : 'warn'}  ${cell(c.subject)}: ${cell(c.detail)}`,
        );
        const failing = gate.checks.filter((c) => !c.ok && c.blocking).length;
        process.stdout.write(
          `${lines.join('\n')}\n${gate.ready ? 'READY for cutover' : `NOT READY: ${failing} blocking check(s) failed`}\n`,
        );
      }
      process.exitCode =
        assess(snapshot).verdict === 'unreachable' ? EXIT.unreachable : gate.ready ? EXIT.ok : EXIT.degraded;
    },
  );
}
