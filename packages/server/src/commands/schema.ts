import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from '@dangjian/core';
import { repoRoot } from '@dangjian/db';

/** The published SDL files: name → printed schema. */
export function publishedSchemas(): Record<string, string> {
  return { 'core.graphql': printSchema(lexicographicSortSchema(buildSchema())) };
}

/** `dangjian schema [--write]`: print the SDL, or write `schema/*.graphql`. */
export async function schema(options: { write?: boolean }): Promise<number> {
  const files = publishedSchemas();
  if (!options.write) {
    process.stdout.write(files['core.graphql']!);
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
