import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyPlugin } from '@dangjian/core';
import { repoRoot } from '@dangjian/db';
import { ConfigError } from '../config.ts';

/**
 * Finds installed plugins: every `@dangjian/plugin-*` package in node_modules (workspace plugins are
 * linked there by npm), importing each one's default export.
 */
export async function discoverPlugins(root = repoRoot): Promise<AnyPlugin[]> {
  const scope = join(root, 'node_modules', '@dangjian');
  if (!existsSync(scope)) return [];
  const names = (await readdir(scope)).filter((n) => n.startsWith('plugin-')).sort();
  const plugins: AnyPlugin[] = [];
  for (const name of names) {
    const dir = join(scope, name);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      exports?: string | Record<string, string>;
      main?: string;
    };
    const entry = typeof pkg.exports === 'string' ? pkg.exports : (pkg.exports?.['.'] ?? pkg.main ?? 'src/index.ts');
    const module = (await import(pathToFileURL(join(dir, entry)).href)) as { default?: AnyPlugin };
    if (!module.default?.id || typeof module.default.register !== 'function') {
      throw new Error(`@dangjian/${name} has no default export made by definePlugin`);
    }
    plugins.push(module.default);
  }
  return plugins;
}

/** Applies DANGJIAN_PLUGINS: null loads every installed plugin; an unknown id is a configuration error. */
export function selectPlugins(installed: readonly AnyPlugin[], wanted: readonly string[] | null): AnyPlugin[] {
  if (wanted === null) return [...installed];
  const byId = new Map(installed.map((p) => [p.id, p]));
  const unknown = wanted.filter((id) => !byId.has(id));
  if (unknown.length) {
    throw new ConfigError(
      'DANGJIAN_PLUGINS',
      `${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not installed (installed: ${[...byId.keys()].join(', ') || 'none'})`,
    );
  }
  return wanted.map((id) => byId.get(id)!);
}
