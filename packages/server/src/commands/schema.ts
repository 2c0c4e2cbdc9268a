import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from '@dangjian/core';
import { repoRoot } from '@dangjian/db';

/** The published SDL files: name → printed schema. */
export function publishedSchemas(): Record<string, string> {
  const core = printSchema(lexicographicSortSchema(buildSchema()));
  // No plugin is installed yet, so the full schema is the core one; plugins add their files here.
  return { 'core.graphql': core, 'schema.graphql': core };
}

/** `dangjian schema [--write]`: print the SDL, or write `schema/*.graphql`. */
export async function schema(options: { write?: boolean }): Promise<number> {
  const files = publishedSchemas();
  if (!options.write) {
    process.stdout.write(files['schema.graphql']!);
    return 0;
  }
  const dir = join(repoRoot, 'schema');
  await mkdir(dir, { recursive: true });
  for (const [name, sdl] of Object.entries(files)) {
    await writeFile(join(dir, name), sdl);
    console.log(`wrote schema/${name}`);
  }
  return 0;
}
