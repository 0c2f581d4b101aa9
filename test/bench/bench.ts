/**
 * `npm run bench`: mirrorwatch against kcat and Kafka's own CLI on the same running lab, in one run.
 * Each command runs 5 times; the table shows medians and the ratio to mirrorwatch (>1: mirrorwatch is faster).
 * Then the console itself, in a real terminal (tmux, 200x50) at the 2 s interval for `--console-minutes`
 * (default 5): its resident memory and CPU, read from /proc. mirrorwatch runs as installed: bin/mirrorwatch,
 * the launcher with its memory settings.
 * Usage: npm run bench [-- --lab DIR] [--console-minutes M] [--console-only]
 */

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveConnection } from '../../source/config/connection.js';
import { findLab, labStatus } from '../../source/lab/lab-status.js';
import { defaultStateDir } from '../../source/lab/layout.js';
import { Poller } from '../../source/monitor/poller.js';
import { kafkaTool, kcat, installedMirrorwatch as mirrorwatch, type RunResult, run } from '../helpers/run.js';
import { ConsoleSession } from '../helpers/tmux.js';

const RUNS = 5;
const labArg = process.argv.indexOf('--lab');
const stateDir = labArg > 0 ? (process.argv[labArg + 1] ?? defaultStateDir()) : defaultStateDir();
const minutesArg = process.argv.indexOf('--console-minutes');
const consoleMinutes = minutesArg > 0 ? Number(process.argv[minutesArg + 1]) : 5;
if (!(consoleMinutes > 0)) {
  process.stderr.write('bench: --console-minutes takes a number of minutes > 0\n');
  process.exit(2);
}
const lab = labStatus({ stateDir });
if (lab.state !== 'running') {
  process.stderr.write(`bench: no running lab in ${stateDir}: run 'mirrorwatch lab up' first\n`);
  process.exit(2);
}

async function median(
  label: string,
  run: () => Promise<RunResult>,
  check: (r: RunResult) => boolean,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = await run();
    times.push(performance.now() - started);
    if (result.code !== 0 || !check(result))
      throw new Error(`${label} failed: ${result.stderr.slice(0, 300)}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

interface Row {
  task: string;
  tool: string;
  ms: number;
}
const rows: Row[] = [];
const LAB = ['--lab', stateDir];
const src = lab.source.bootstrap;
const lib = lab.kafkaLibDir;
const countLines = (r: RunResult) => r.stdout.split('\n').filter((l) => l.length > 0).length;

async function ensureLz4Topic(): Promise<void> {
  const listed = await kcat(['-L', '-b', src, '-t', LZ4_TOPIC]);
  if (new RegExp(`topic "${LZ4_TOPIC}" with [1-9]`).test(listed.stdout)) return;
  const created = await kafkaTool(lib, 'org.apache.kafka.tools.TopicCommand', [
    '--bootstrap-server',
    src,
    '--create',
    '--topic',
    LZ4_TOPIC,
    '--partitions',
    '3',
  ]);
  if (created.code !== 0) throw new Error(`creating ${LZ4_TOPIC}: ${created.stderr.slice(0, 300)}`);
  const lines: string[] = [];
  for (let i = 0; i < LZ4_RECORDS; i++)
    lines.push(
      `10.${i % 256}.${(i * 7) % 256}.${i % 250},2017-06-30T00:00:00Z,GET,/Archives/edgar/data/${i * 13}/,200,${1000 + ((i * 37) % 9000)}`,
    );
  const produced = await run('kcat', ['-P', '-b', src, '-t', LZ4_TOPIC, '-z', 'lz4', '-X', 'linger.ms=50'], {
    input: `${lines.join('\n')}\n`,
    timeoutMs: 300_000,
  });
  if (produced.code !== 0) throw new Error(`writing ${LZ4_TOPIC}: ${produced.stderr.slice(0, 300)}`);
}

/** `--console-only`: the console's figures alone (a lab that saturates the machine makes the command rows meaningless). */
const consoleOnly = process.argv.includes('--console-only');

async function measure(
  task: string,
  tool: string,
  run: () => Promise<RunResult>,
  check: (r: RunResult) => boolean,
) {
  if (consoleOnly) return;
  rows.push({ task, tool, ms: await median(`${task} / ${tool}`, run, check) });
}

await measure(
  'list topics (source)',
  'mirrorwatch topics --cluster source',
  () => mirrorwatch(['topics', '--cluster', 'source', '--json', ...LAB]),
  (r) => r.stdout.includes('topic2'),
);
await measure(
  'list topics (source)',
  'kcat -L',
  () => kcat(['-L', '-b', src]),
  (r) => r.stdout.includes('topic2'),
);
await measure(
  'list topics (source)',
  'kafka-topics --describe',
  () => kafkaTool(lib, 'org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', src, '--describe']),
  (r) => r.stdout.includes('topic2'),
);

await measure(
  'count topic2 from the beginning (20,000 records)',
  'mirrorwatch consume --count-only',
  () =>
    mirrorwatch(['consume', '--cluster', 'source', '--topic', 'topic2', '--count-only', '--json', ...LAB]),
  (r) => r.stdout.includes('"count":20000'),
);
await measure(
  'count topic2 from the beginning (20,000 records)',
  'kcat -C -e',
  () => kcat(['-C', '-b', src, '-t', 'topic2', '-e', '-q', '-f', '%o\n']),
  (r) => countLines(r) === 20_000,
);
await measure(
  'count topic2 from the beginning (20,000 records)',
  'kafka-console-consumer',
  () =>
    kafkaTool(lib, 'org.apache.kafka.tools.consumer.ConsoleConsumer', [
      '--bootstrap-server',
      src,
      '--topic',
      'topic2',
      '--from-beginning',
      '--max-messages',
      '20000',
      '--timeout-ms',
      '30000',
    ]),
  (r) => countLines(r) === 20_000,
);

// 1,000,000 records written by kcat with lz4 (created once, then reused): decompression and the
// consume path at volume. kafka-console-consumer is left out here: printing a million lines through the
// JVM takes longer than the rest of the bench together.
const LZ4_TOPIC = 'bench-lz4-1m';
const LZ4_RECORDS = 1_000_000;
if (!consoleOnly) await ensureLz4Topic();
await measure(
  'count 1,000,000 lz4 records from the beginning',
  'mirrorwatch consume --count-only',
  () =>
    mirrorwatch(['consume', '--cluster', 'source', '--topic', LZ4_TOPIC, '--count-only', '--json', ...LAB]),
  (r) => r.stdout.includes(`"count":${LZ4_RECORDS}`),
);
await measure(
  'count 1,000,000 lz4 records from the beginning',
  'kcat -C -e',
  () => kcat(['-C', '-b', src, '-t', LZ4_TOPIC, '-e', '-q', '-o', 'beginning', '-f', '%o\n'], 120_000),
  (r) => countLines(r) === LZ4_RECORDS,
);

await measure(
  'consumer-group lag (source, all groups)',
  'mirrorwatch lag --cluster source',
  () => mirrorwatch(['lag', '--cluster', 'source', '--json', ...LAB]),
  (r) => r.stdout.includes('apache-logs-indexer'),
);
await measure(
  'consumer-group lag (source, all groups)',
  'kafka-consumer-groups --describe --all-groups',
  () =>
    kafkaTool(
      lib,
      'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
      ['--bootstrap-server', src, '--describe', '--all-groups'],
      600_000,
    ),
  (r) => r.stdout.includes('apache-logs-indexer'),
);

// A console refresh in steady state: every source, both clusters, MM2 internal topics, metrics, Connect.
const poller = new Poller({ connection: resolveConnection({ lab: stateDir }, findLab) });
await poller.refresh();
const refreshes: Array<{ ms: number; requests: number }> = [];
for (let i = 0; i < RUNS; i++) {
  const s = await poller.refresh();
  refreshes.push({ ms: s.refreshMs, requests: s.requests });
}
const answering = (s: Awaited<ReturnType<Poller['refresh']>>) =>
  s.source.brokers.length + s.target.brokers.length;
const last = poller.current();
const brokers = last ? answering(last) : 0;
await poller.stop();

/** utime + stime of a process, in seconds (/proc/PID/stat fields 14 and 15, in clock ticks). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function residentMb(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) / 1024 : 0;
}

// The console as an operator runs it, in a real terminal, measured from outside.
const session = await ConsoleSession.start(
  'mirrorwatch-bench',
  ['--lab', stateDir],
  { width: 200, height: 50 },
  { installed: true },
);
let consoleLine = '';
try {
  await session.waitFor(/refreshed \d\d:\d\d:\d\d/, 120_000);
  const pid = await session.pid();
  if (pid === null) throw new Error('bench: the console process was not found');
  // Measured once the first data is on screen: start-up (module loading, first reads) is not steady state.
  const cpuStart = cpuSeconds(pid);
  const started = performance.now();
  let peakRss = residentMb(pid);
  const rss: number[] = [];
  while (performance.now() - started < consoleMinutes * 60_000) {
    await sleep(5_000);
    const mb = residentMb(pid);
    rss.push(mb);
    peakRss = Math.max(peakRss, mb);
  }
  const cpuPercent = ((cpuSeconds(pid) - cpuStart) / ((performance.now() - started) / 1000)) * 100;
  const screen = await session.screen();
  const stale = /stale|disconnected|✗/.test(screen.split('\n').slice(0, 4).join('\n'));
  rss.sort((a, b) => a - b);
  consoleLine =
    `console over ${consoleMinutes} min at the 2 s interval (200x50, real terminal): CPU ${cpuPercent.toFixed(1)} % of one core, ` +
    `resident memory median ${rss[Math.floor(rss.length / 2)]?.toFixed(0)} MB, peak ${peakRss.toFixed(0)} MB` +
    (stale ? ' (the header showed a source stale or failing at the end)' : '') +
    '\n';
} finally {
  await session.stop();
  await ConsoleSession.killServer();
}

const tasks = [...new Set(rows.map((r) => r.task))];
let out = '| task | tool | median ms | time / mirrorwatch |\n|---|---|---:|---:|\n';
for (const task of tasks) {
  const ours = rows.find((r) => r.task === task && r.tool.startsWith('mirrorwatch'))!;
  for (const r of rows.filter((x) => x.task === task)) {
    out += `| ${task} | ${r.tool} | ${r.ms.toFixed(0)} | ${(r.ms / ours.ms).toFixed(2)}× |\n`;
  }
}
const sorted = refreshes.map((r) => r.ms).sort((a, b) => a - b);
out += `\nconsole refresh in steady state (both clusters, MM2 internal topics, metrics, Connect): median ${sorted[Math.floor(RUNS / 2)]} ms, ${refreshes.map((r) => r.requests).join('/')} requests per refresh`;
out +=
  brokers > 0
    ? ` over ${brokers} brokers (${(Math.max(...refreshes.map((r) => r.requests)) / brokers).toFixed(1)} per broker at most)\n`
    : '\n';
out += consoleLine;
process.stdout.write(out);
