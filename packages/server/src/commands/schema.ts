import { cliIo, complain, say } from '../cli-io.ts';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { CORE_VERSION, createSchemaSet, type AnyPlugin, type SchemaSet } from '@dangjian/core';
import { repoRoot } from '@dangjian/db';
import { discoverPlugins } from '../plugins/discover.ts';
import { checkCoreSnapshot, checkSnapshot, coreSdl, pluginSdl } from '../plugins/snapshot.ts';

/** The schemas of every installed plugin (the published set). */
export async function installedSchemaSet(plugins?: readonly AnyPlugin[]): Promise<SchemaSet> {
  return createSchemaSet(plugins ?? (await discoverPlugins()), { coreVersion: CORE_VERSION });
}

/**
 * The published SDL files: `schema.graphql` (all plugins), `core.graphql` (none, headed by core's version:
 * the snapshot of core's last release) and `<plugin-id>.graphql` each.
 */
export function publishedSchemas(set: SchemaSet): Record<string, string> {
  const print = (s: Parameters<typeof lexicographicSortSchema>[0]) => printSchema(lexicographicSortSchema(s));
  const files: Record<string, string> = { 'schema.graphql': print(set.full), 'core.graphql': coreSdl(set, CORE_VERSION) };
  for (const plugin of set.plugins) files[`${plugin.id}.graphql`] = pluginSdl(set, plugin);
  return files;
}

/**
 * `dangjian schema [--write]`: print the full SDL, or write `schema/*.graphql`. A plugin snapshot is
 * only rewritten when the change is publishable (breaking changes need a major version).
 */
export async function schema(options: { write?: boolean }): Promise<number> {
  const set = await installedSchemaSet();
  const files = publishedSchemas(set);
  if (!options.write) {
    cliIo().stdout.write(files['schema.graphql']!);
    return 0;
  }
  const dir = join(repoRoot, 'schema');
  await mkdir(dir, { recursive: true });
  let failed = false;
  const corePath = join(dir, 'core.graphql');
  if (existsSync(corePath)) {
    const check = await checkCoreSnapshot(set, await readFile(corePath, 'utf8'), CORE_VERSION);
    if (check.problem) {
      complain(`not writing schema/core.graphql: ${check.problem}`);
      delete files['core.graphql'];
      failed = true;
    }
  }
  for (const plugin of set.plugins) {
    const path = join(dir, `${plugin.id}.graphql`);
    if (!existsSync(path)) continue;
    const check = await checkSnapshot(set, plugin, await readFile(path, 'utf8'));
    if (check.problem) {
      complain(`not writing schema/${plugin.id}.graphql: ${check.problem}`);
      delete files[`${plugin.id}.graphql`];
      failed = true;
    }
  }
  for (const [name, sdl] of Object.entries(files)) {
    await writeFile(join(dir, name), sdl);
    say(`wrote schema/${name}`);
  }
  return failed ? 1 : 0;
}
