import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { LabError } from './errors.js';
import { EXPORTER_VERSION } from './layout.js';

const POM = join(packageRoot, 'source', 'lab', 'maven', 'pom.xml');
const COMPLETE_MARKER = '.complete';

/** Kafka 4 logs through log4j2 and its distribution pom does not bring the slf4j binding. */
function profilesFor(kafkaVersion: string): string {
  return Number.parseInt(kafkaVersion, 10) >= 4 ? 'kafka,log4j2' : 'kafka';
}

export function kafkaLibDir(cacheDir: string, version: string): string {
  return join(cacheDir, `kafka-${version}`);
}

export function exporterJar(cacheDir: string): string {
  return join(cacheDir, `exporter-${EXPORTER_VERSION}`, `jmx_prometheus_javaagent-${EXPORTER_VERSION}.jar`);
}

function runMaven(args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const child = spawn('mvn', ['-B', '-q', '-f', POM, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new LabError(
          error.code === 'ENOENT'
            ? 'mvn not found on PATH: the lab resolves Kafka from Maven Central with Maven (apt-get install -y maven)'
            : `could not run mvn: ${error.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) return resolvePromise();
      const firstError =
        output.split('\n').find((line) => line.includes('ERROR')) ?? output.trim().split('\n')[0];
      log(output);
      reject(
        new LabError(
          `mvn failed (exit ${code}): ${(firstError ?? '').replace(/\x1b\[[0-9;]*m/g, '').trim()}`,
        ),
      );
    });
  });
}

async function copyDependencies(
  outputDir: string,
  profiles: string,
  properties: string[],
  log: (line: string) => void,
): Promise<void> {
  if (existsSync(join(outputDir, COMPLETE_MARKER))) return;
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  await runMaven(
    [
      `-P${profiles}`,
      ...properties,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${outputDir}`,
      '-DincludeScope=runtime',
    ],
    log,
  );
  if (readdirSync(outputDir).length === 0) throw new LabError(`mvn resolved no jars into ${outputDir}`);
  writeFileSync(join(outputDir, COMPLETE_MARKER), new Date().toISOString());
}

/** Resolves (once, then from the cache) a Kafka distribution's jars and returns their directory. */
export async function ensureKafkaJars(cacheDir: string, version: string, log: (line: string) => void) {
  const dir = kafkaLibDir(cacheDir, version);
  await copyDependencies(dir, profilesFor(version), [`-Dkafka.version=${version}`], log);
  return dir;
}

export async function ensureExporterJar(cacheDir: string, log: (line: string) => void): Promise<string> {
  const jar = exporterJar(cacheDir);
  await copyDependencies(join(jar, '..'), 'exporter', [`-Dexporter.version=${EXPORTER_VERSION}`], log);
  if (!existsSync(jar)) throw new LabError(`exporter agent missing after resolution: ${jar}`);
  return jar;
}
