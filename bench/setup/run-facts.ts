/** The machine and package versions a run reports, read here so that the report itself stays pure. */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { repoRoot } from '../lib/proc.ts';
import type { RunFacts } from '../report.ts';

/** The packages whose versions the report names. */
const REPORTED_PACKAGES = [
  'graphql',
  'graphql-yoga',
  '@apollo/server',
  'mercurius',
  'graphql-jit',
  'fastify',
  'postgraphile',
  '@prisma/client',
  'pg',
  'dataloader',
  'graphql-ws',
  'autocannon',
];

function versionOf(name: string): string {
  try {
    const path = resolve(repoRoot, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** The facts of a run from startedAt to finishedAt, on this machine with this node_modules. */
export function runFacts(startedAt: number, finishedAt: number): RunFacts {
  return {
    startedAt,
    finishedAt,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown CPU',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      arch: process.arch,
      node: process.versions.node,
    },
    versions: Object.fromEntries(REPORTED_PACKAGES.map((name) => [name, versionOf(name)])),
  };
}
