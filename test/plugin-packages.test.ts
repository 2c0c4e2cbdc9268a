import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every plugin declares in its package.json what it imports, and its `requires` is read from its
// peerDependencies (requiresFrom), so a plugin's package boundary is stated once and checked here.
const root = join(import.meta.dirname, '..', 'plugins');
const plugins = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** Package names a source file imports (bare specifiers, without subpaths; node: built-ins left out). */
function importsOf(source: string): string[] {
  const names = [...source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^'.][^']*)'/g)].map((m) => m[1]!);
  return names
    .filter((n) => !n.startsWith('node:'))
    .map((n) => (n.startsWith('@') ? n.split('/').slice(0, 2).join('/') : n.split('/')[0]!));
}

describe('plugin packages', () => {
  it.each(plugins)('%s declares every package its sources import', async (id) => {
    const pkg = JSON.parse(readFileSync(join(root, id, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    const src = join(root, id, 'src');
    const files = readdirSync(src).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const imported = new Set(files.flatMap((f) => importsOf(readFileSync(join(src, f), 'utf8'))));
    expect([...imported].filter((name) => !declared.has(name))).toEqual([]);
  });

  it.each(plugins)("%s's requires is its peerDependencies", async (id) => {
    const pkg = JSON.parse(readFileSync(join(root, id, 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> };
    const { default: plugin } = (await import(join(root, id, 'src', 'index.ts'))) as { default: { requires: Record<string, string> } };
    const expected = Object.fromEntries(
      Object.entries(pkg.peerDependencies ?? {}).flatMap(([name, range]) =>
        name === '@dangjian/core'
          ? [['core', range]]
          : name.startsWith('@dangjian/plugin-')
            ? [[name.slice('@dangjian/plugin-'.length), range]]
            : [],
      ),
    );
    expect(plugin.requires).toEqual(expected);
  });
});
