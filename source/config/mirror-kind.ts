/**
 * Which MirrorMaker mirrors the clusters: MM2 (the default), or the original MirrorMaker (MM1,
 * `kafka.tools.MirrorMaker`), whose position is its consumer group on the source.
 */
import { ConfigError } from './errors.js';
import { compilePatternList, splitList } from './java-regex.js';

export type MirrorKind = 'mm2' | 'mm1';
/** Where a consumer group without a committed offset starts: its `auto.offset.reset`. */
export type AutoOffsetReset = 'earliest' | 'latest';

export const DEFAULT_MM1_GROUP = 'mirrormaker';
/** MM1's default `offset.commit.interval.ms`. */
export const MM1_DEFAULT_COMMIT_INTERVAL_MS = 60_000;

export interface Mm1Settings {
  /** MM1's consumer group on the source (its `group.id`). */
  group: string;
  /** MM1's `--whitelist`/`--include` as given; null: every user topic is mirrored. */
  include: string | null;
}

export interface MirrorSettings {
  kind: MirrorKind;
  /** Present when kind is mm1. */
  mm1: Mm1Settings | null;
  /** The reset policy of the operator's consumer groups, to tell where one moved to the target starts. */
  autoOffsetReset: AutoOffsetReset;
}

export interface MirrorFlags {
  mirror?: string;
  mm1Group?: string;
  mm1Include?: string;
  autoOffsetReset?: string;
}

export const MM2_MIRROR: MirrorSettings = { kind: 'mm2', mm1: null, autoOffsetReset: 'latest' };

/**
 * MM1's include list as MM1 reads it: a Java regex matched against the whole topic name, commas
 * standing for `|` (its old whitelist syntax). Throws ConfigError for a pattern that does not compile.
 */
export function compileMm1Include(include: string): RegExp {
  try {
    const regex = compilePatternList(splitList(include));
    if (!regex) throw new SyntaxError('empty');
    return regex;
  } catch (error) {
    throw new ConfigError(`bad --mm1-include '${include}': ${(error as Error).message}`);
  }
}

export function resolveMirrorSettings(flags: MirrorFlags, labMirror?: Mm1Settings | null): MirrorSettings {
  if (flags.mirror !== undefined && flags.mirror !== 'mm1' && flags.mirror !== 'mm2')
    throw new ConfigError(`--mirror takes mm2 or mm1, not '${flags.mirror}'`);
  if (
    flags.autoOffsetReset !== undefined &&
    flags.autoOffsetReset !== 'earliest' &&
    flags.autoOffsetReset !== 'latest'
  )
    throw new ConfigError(`--auto-offset-reset takes earliest or latest, not '${flags.autoOffsetReset}'`);
  const autoOffsetReset = (flags.autoOffsetReset ?? 'latest') as AutoOffsetReset;
  const mm1Flags = flags.mm1Group !== undefined || flags.mm1Include !== undefined;
  if (flags.mirror === 'mm2' && mm1Flags)
    throw new ConfigError(
      '--mm1-group and --mm1-include describe MirrorMaker 1: drop them or use --mirror mm1',
    );
  const kind: MirrorKind =
    flags.mirror === 'mm1' || mm1Flags || (flags.mirror === undefined && labMirror) ? 'mm1' : 'mm2';
  if (kind === 'mm2') return { ...MM2_MIRROR, autoOffsetReset };
  const group = flags.mm1Group ?? labMirror?.group ?? DEFAULT_MM1_GROUP;
  if (group.trim() === '') throw new ConfigError('--mm1-group takes a consumer group id');
  const include = flags.mm1Include ?? labMirror?.include ?? null;
  if (include !== null) compileMm1Include(include);
  return { kind, mm1: { group, include }, autoOffsetReset };
}
