/** How the lab runs Java: heap sizes, the marker that tells its processes apart, Kafka's classpath and logging. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { log4j2Properties, log4jProperties } from './config-files.js';
import { LabError } from './errors.js';

export const exec = promisify(execFile);

/** A broker's heap: starts small, may grow to `max` (5,000 partitions and 100k records OOM at 512m). */
export function brokerHeapArgs(max: string): string[] {
  return ['-Xms128m', `-Xmx${max}`];
}

/**
 * Connect running MM2: at `lab scale --groups 1000` (100 partitions each) the checkpoint connector's
 * group-offset reads ran it out of a 768m heap, after which its tasks stopped and the exporter hung.
 */
export const CONNECT_HEAP = ['-Xms128m', '-Xmx2g'];

export function marker(stateDir: string): string {
  return `-Dmirrorwatch.lab=${stateDir}`;
}

export async function requireTool(command: string, args: string[], hint: string): Promise<void> {
  try {
    await exec(command, args);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new LabError(`${command} not found on PATH: ${hint}`);
  }
}

export function javaArgs(
  stateDir: string,
  libDir: string,
  version: string,
  logFile: string,
  heap: string[],
): string[] {
  const configDir = join(logFile, '..');
  const isLog4j2 = Number.parseInt(version, 10) >= 4;
  const logConfig = join(configDir, isLog4j2 ? 'log4j2.properties' : 'log4j.properties');
  writeFileSync(logConfig, isLog4j2 ? log4j2Properties(logFile) : log4jProperties(logFile));
  return [
    ...heap,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    marker(stateDir),
    isLog4j2 ? `-Dlog4j2.configurationFile=${logConfig}` : `-Dlog4j.configuration=file:${logConfig}`,
    '-cp',
    `${libDir}/*`,
  ];
}
