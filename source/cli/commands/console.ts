import type { Argv } from 'yargs';
import { consoleActions, flowActions } from '../../actions/console-actions.js';
import { probeFor } from '../../actions/probe.js';
import type { Connection } from '../../config/connection.js';
import { FlowSwitchingFeed } from '../../monitor/flow-switch.js';
import { Poller } from '../../monitor/poller.js';
import { applyConsoleHeapGrowth } from '../../util/heap-growth.js';
import {
  type ConnectionArgs,
  connectionsFrom,
  metricsTimeoutMs,
  withConnectionOptions,
} from '../connection-options.js';
import { EXIT, UserError } from '../errors.js';
import { probeTopicFrom, withProbeOption } from '../probe-options.js';
import { type RunbookArgs, runbookOptionsFrom, withRunbookOptions } from '../runbook-options.js';

interface ConsoleArgs extends ConnectionArgs, RunbookArgs {
  probe?: string;
  'read-only': boolean;
  color: boolean;
  interval: number;
  'mirror-stop-command'?: string;
  'mirror-resume-command'?: string;
}

/** Environment variables that make Ink think it runs in CI (then it prints only the last frame). */
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID'];

export function consoleCommand(yargs: Argv) {
  return yargs.command<ConsoleArgs>(
    '$0',
    'the live console over both clusters and MM2 (default command)',
    (y) =>
      withRunbookOptions(withProbeOption(withConnectionOptions(y)))
        .option('read-only', {
          type: 'boolean',
          default: false,
          describe: 'disable the actions that change anything (T, S, R)',
        })
        .option('color', {
          type: 'boolean',
          default: true,
          describe: 'colours (--no-color or NO_COLOR turn them off)',
        })
        .option('interval', {
          type: 'number',
          default: 2,
          describe: 'refresh interval in seconds (at least 1)',
        })
        .option('mirror-stop-command', {
          type: 'string',
          describe: 'shell command that stops MM2 (e.g. systemctl stop connect-mirror-maker)',
        })
        .option('mirror-resume-command', { type: 'string', describe: 'shell command that starts MM2 again' }),
    async (args) => {
      const probeTopic = probeTopicFrom(args);
      if (!process.stdout.isTTY || !process.stdin.isTTY) {
        throw new UserError(
          'the console needs a terminal (stdin/stdout is not a TTY): use mirrorwatch status | topics | lag | consume | verify, with --json for scripts',
          EXIT.usage,
        );
      }
      if (!Number.isFinite(args.interval) || args.interval < 1)
        throw new UserError('--interval takes a number of seconds >= 1');
      const cutover = runbookOptionsFrom(args);
      const connections = connectionsFrom(args);
      const first = connections[0] as Connection;
      // An interactive terminal is interactive even when a CI variable leaked into the shell.
      for (const name of CI_VARIABLES) delete process.env[name];
      const color = args.color && process.env.NO_COLOR === undefined;
      if (!color) process.env.FORCE_COLOR = '0';
      const { runConsole } = await import('../../ui/terminal.js');
      // Full collections every several refreshes instead of every refresh (heap-growth.ts).
      applyConsoleHeapGrowth();
      const intervalMs = args.interval * 1000;
      const feed = new FlowSwitchingFeed(
        connections,
        (connection, index) =>
          new Poller({
            connection,
            intervalMs,
            metricsTimeoutMs: metricsTimeoutMs(args),
            // LAG TIME of groups and MM2 that stopped before the console started (see RecordTimestamps).
            recordTimestamps: true,
            // The probe topic is a topic of the first flow's source (--flow chooses it).
            ...(probeTopic && index === 0 ? { probe: probeFor(connection, probeTopic, intervalMs) } : {}),
          }),
      );
      feed.start();
      const commands = {
        ...(args['mirror-stop-command'] ? { stop: args['mirror-stop-command'] } : {}),
        ...(args['mirror-resume-command'] ? { resume: args['mirror-resume-command'] } : {}),
      };
      const actions = flowActions(feed, (connection) => consoleActions(connection, feed, commands));
      try {
        await runConsole({
          feed,
          actions,
          readOnly: args['read-only'],
          color,
          header: { origin: first.origin, flows: connections.length },
          cutover,
        });
      } finally {
        await Promise.all([feed.stop(), actions.close()]);
      }
      process.exitCode = EXIT.ok;
    },
  );
}
