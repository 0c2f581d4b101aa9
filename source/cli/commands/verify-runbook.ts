/**
 * `verify --runbook`: the migration runbook, sampled for a few seconds (producers stopped, MM2's
 * seconds behind and the target groups' evaluation need offsets over time), then printed step by step.
 */
import { readCutoverInputs } from '../../actions/cutover-reads.js';
import type { Connection } from '../../config/connection.js';
import {
  flowName,
  type Runbook,
  type RunbookOptions,
  type RunbookStep,
  runbook,
} from '../../model/runbook.js';
import { runbookSignals } from '../../model/runbook-signals.js';
import { assess } from '../../model/verdict.js';
import type { Snapshot } from '../../monitor/snapshot.js';
import type { Glyphs } from '../../ui/glyphs.js';
import { EXIT, UserError } from '../errors.js';
import { cell, json } from '../format.js';
import { snapshotOver } from '../snapshot-once.js';

export const DEFAULT_SAMPLE_SECONDS = 10;

export interface RunbookArgs {
  sampleSeconds: number;
  options: RunbookOptions;
  json: boolean;
  debug: boolean;
  metricsTimeoutMs: number;
  glyphs: Glyphs;
}

function stepMark(step: RunbookStep, g: Glyphs): string {
  return step.done ? g.ok : step.status === 'waiting' ? '-' : g.crit;
}

const STATUS_WORDS = { done: 'done', 'not-done': 'NOT DONE', waiting: 'waiting' } as const;

/** One line per step; the first step not done marked with `>`; a waiting step shows its own check too. */
export function runbookText(book: Runbook, header: string, g: Glyphs): string {
  const lines = [header];
  for (const step of book.steps) {
    const lead = step === book.current ? '>' : ' ';
    const own =
      step.status === 'waiting'
        ? `waiting on step ${book.current?.number ?? '?'}; its own check ${step.met ? g.ok : g.crit}: `
        : '';
    lines.push(
      `${lead} ${stepMark(step, g)} ${step.number} ${STATUS_WORDS[step.status].padEnd(8)}  ${step.title}: ${own}${cell(step.reason)}`,
    );
  }
  lines.push(
    book.current
      ? `NOT READY: step ${book.current.number} (${book.current.title}) is not done`
      : 'READY: every step of the runbook is done',
  );
  return `${lines.join('\n')}\n`;
}

export function runbookJson(book: Runbook, s: Snapshot, args: RunbookArgs): unknown {
  return {
    ready: book.ready,
    flow: flowName(s),
    takenAt: new Date(s.takenAtMs).toISOString(),
    sampledSeconds: args.sampleSeconds,
    maxBehindSeconds: args.options.maxBehindSeconds,
    quietSeconds: args.options.quietSeconds,
    groups: args.options.groups && args.options.groups.length > 0 ? args.options.groups : null,
    current: book.current?.id ?? null,
    steps: book.steps,
  };
}

async function sample(
  connection: Connection,
  args: RunbookArgs,
): Promise<{ snapshot: Snapshot; book: Runbook }> {
  const snapshot = await snapshotOver(connection, args.sampleSeconds, {
    debug: args.debug,
    metricsTimeoutMs: args.metricsTimeoutMs,
    required: ['source', 'target'],
  });
  for (const group of args.options.groups ?? [])
    if (!snapshot.source.groups.some((g) => g.group === group))
      throw new UserError(`unknown group '${group}' on the source cluster`);
  const reads = await readCutoverInputs(connection, snapshot);
  const signals = runbookSignals(snapshot, {
    nowMs: Date.now(),
    configDrift: reads.configDrift,
    newestWrites: reads.newestWrites,
  });
  return { snapshot, book: runbook(snapshot, signals, args.options) };
}

/** Samples, prints, and sets the exit code: 0 ready, 1 not ready, 2 unreachable. */
export async function verifyRunbook(connection: Connection, args: RunbookArgs): Promise<void> {
  const { snapshot, book } = await sample(connection, args);
  const header = `cutover runbook ${cell(flowName(snapshot))}, sampled ${args.sampleSeconds} s (MM2 at most ${args.options.maxBehindSeconds} s behind, producers quiet ${args.options.quietSeconds} s)`;
  process.stdout.write(
    args.json ? json(runbookJson(book, snapshot, args)) : runbookText(book, header, args.glyphs),
  );
  process.exitCode =
    assess(snapshot).verdict === 'unreachable' ? EXIT.unreachable : book.ready ? EXIT.ok : EXIT.degraded;
}
