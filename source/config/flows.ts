/**
 * Several replication flows: every enabled flow of an mm2.properties, the lab's two flows (`lab up --flows
 * both`), or clusters named with `--cluster alias=host:port,...`. Each flow resolves into its own one-flow
 * Connection, so commands and the console run their one-flow logic per flow; `--flow A->B` narrows the list.
 */
import { readFileSync } from 'node:fs';
import {
  type Connection,
  type ConnectionFlags,
  type LabFinder,
  parseBootstrap,
  resolveConnection,
} from './connection.js';
import { ConfigError } from './errors.js';
import { parseMm2Config } from './mm2-config.js';

export interface FlowFlags {
  /** `--cluster alias=host:port,...`, repeatable. */
  clusters?: string[];
  /** `--flow A->B`, repeatable: only these flows. */
  flows?: string[];
}

export interface FlowName {
  source: string;
  target: string;
}

export function flowLabel(flow: FlowName): string {
  return `${flow.source}->${flow.target}`;
}

const FLOW = /^\s*([^\s>]+?)\s*->\s*([^\s>]+)\s*$/;

export function parseFlowName(value: string): FlowName {
  const match = FLOW.exec(value);
  if (!match || match[1] === match[2])
    throw new ConfigError(`bad --flow '${value}': expected SOURCE->TARGET, two different cluster aliases`);
  return { source: match[1]!, target: match[2]! };
}

const ALIAS = /^[A-Za-z0-9_.-]+$/;

/** `--cluster old=host:9092,host2:9092` -> alias and broker list. */
export function parseClusterFlag(value: string): { alias: string; bootstrap: string[] } {
  const equals = value.indexOf('=');
  const alias = equals > 0 ? value.slice(0, equals).trim() : '';
  if (!ALIAS.test(alias))
    throw new ConfigError(
      `bad --cluster '${value}': expected ALIAS=host:port,... (alias: letters, digits, . _ -)`,
    );
  return { alias, bootstrap: parseBootstrap(value.slice(equals + 1), `cluster ${alias}`) };
}

/** The same clusters seen from the other direction (the lab's new->old flow). */
export function reversed(connection: Connection): Connection {
  return {
    ...connection,
    source: { ...connection.target, role: 'source' },
    target: { ...connection.source, role: 'target' },
    flow: null,
  };
}

function flowOf(connection: Connection): FlowName {
  return { source: connection.source.alias, target: connection.target.alias };
}

function mm2Flows(path: string): FlowName[] {
  try {
    return parseMm2Config(readFileSync(path, 'utf8'), path).flows;
  } catch {
    // resolveConnection reports an unreadable or bad file with its own message.
    return [];
  }
}

function candidates(
  flags: ConnectionFlags & FlowFlags,
  findLab: LabFinder | undefined,
  env: NodeJS.ProcessEnv,
): Connection[] {
  if (flags.clusters && flags.clusters.length > 0) {
    if (flags.mm2Config || flags.source || flags.target)
      throw new ConfigError(
        '--cluster names the clusters: do not combine it with --source, --target or --mm2-config',
      );
    const clusters = new Map<string, string[]>();
    for (const value of flags.clusters) {
      const { alias, bootstrap } = parseClusterFlag(value);
      if (clusters.has(alias)) throw new ConfigError(`--cluster ${alias} is given twice`);
      clusters.set(alias, bootstrap);
    }
    if (clusters.size < 2)
      throw new ConfigError('--cluster needs at least two clusters (a flow runs between two)');
    const pairs = flags.flows?.length
      ? flags.flows.map(parseFlowName)
      : [...clusters.keys()].flatMap((source) =>
          [...clusters.keys()].filter((t) => t !== source).map((target) => ({ source, target })),
        );
    return pairs.map((pair) => {
      for (const alias of [pair.source, pair.target])
        if (!clusters.has(alias))
          throw new ConfigError(
            `--flow ${flowLabel(pair)} names cluster ${alias}, not given with --cluster (clusters: ${[...clusters.keys()].join(', ')})`,
          );
      return resolveConnection(
        {
          ...flags,
          lab: undefined,
          source: clusters.get(pair.source)!.join(','),
          target: clusters.get(pair.target)!.join(','),
          sourceAlias: pair.source,
          targetAlias: pair.target,
        },
        undefined,
        env,
      );
    });
  }
  if (flags.mm2Config && !flags.sourceAlias && !flags.targetAlias) {
    const flows = mm2Flows(flags.mm2Config);
    if (flows.length > 1)
      return flows.map((f) =>
        resolveConnection({ ...flags, sourceAlias: f.source, targetAlias: f.target }, findLab, env),
      );
  }
  const first = resolveConnection(flags, findLab, env);
  return first.labFlows === 'both' ? [first, reversed(first)] : [first];
}

/**
 * Every flow the flags describe, in order (the first is the console's first selection), narrowed by `--flow`.
 * Throws a ConfigError with one line when a `--flow` names no known flow.
 */
export function resolveFlows(
  flags: ConnectionFlags & FlowFlags,
  findLab?: LabFinder,
  env: NodeJS.ProcessEnv = process.env,
): Connection[] {
  const all = candidates(flags, findLab, env);
  if (!flags.flows?.length || flags.clusters?.length) return all;
  const wanted = flags.flows.map(parseFlowName);
  return wanted.map((w) => {
    const found = all.find((c) => flowLabel(flowOf(c)) === flowLabel(w));
    if (!found)
      throw new ConfigError(
        `no flow ${flowLabel(w)} (flows: ${all.map((c) => flowLabel(flowOf(c))).join(', ')})`,
      );
    return found;
  });
}
