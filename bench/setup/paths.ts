/** Where the benchmark's scripts, servers and scratch files are. */
import { resolve } from 'node:path';
import { repoRoot } from '../lib/proc.ts';

export const benchDir = resolve(import.meta.dirname, '..');
/** Downloads (Node 24) and the last run's report; git-ignored. */
export const cacheDir = resolve(benchDir, '.cache');
/** Embedded databases; git-ignored. */
export const dataDir = resolve(benchDir, '.data');
/** The product's own CLI: it migrates, seeds and serves exactly as a deployment would. */
export const bin = resolve(repoRoot, 'packages/server/bin/dangjian.js');
export const loadHttpScript = resolve(benchDir, 'lib/load-http.ts');
export const loadWsScript = resolve(benchDir, 'lib/load-ws.ts');
export const resultsFile = resolve(benchDir, 'RESULTS.md');
/** A peer server's script. */
export const peerScript = (name: string): string => resolve(benchDir, 'peers', `${name}.ts`);
