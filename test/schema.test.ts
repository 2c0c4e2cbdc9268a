import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORE_VERSION, type SchemaSet } from '@dangjian/core';
import { checkCoreSnapshot, checkSnapshot, installedSchemaSet, publishedSchemas } from '@dangjian/server';

const schemaDir = resolve(import.meta.dirname, '../schema');

describe('published SDL', () => {
  let set: SchemaSet;
  let files: Record<string, string>;
  beforeAll(async () => {
    set = await installedSchemaSet();
    files = publishedSchemas(set);
  });

  it('schema/schema.graphql and schema/core.graphql match the code (regenerate with: npm run schema)', async () => {
    for (const name of ['schema.graphql', 'core.graphql']) {
      const committed = await readFile(resolve(schemaDir, name), 'utf8');
      expect(files[name] === committed, `schema/${name} drifted from the code — run npm run schema and commit it`).toBe(true);
    }
  });

  it('each installed plugin has a snapshot, and changes since it are versioned (breaking → major)', async () => {
    for (const plugin of set.plugins) {
      const path = resolve(schemaDir, `${plugin.id}.graphql`);
      expect(existsSync(path), `schema/${plugin.id}.graphql is missing — run npm run schema`).toBe(true);
      const check = await checkSnapshot(set, plugin, await readFile(path, 'utf8'));
      expect(check.problem, `${plugin.id}: ${check.problem}`).toBeNull();
      // A released snapshot is rewritten at the next version; the committed one must be current.
      expect(check.changed, `schema/${plugin.id}.graphql is out of date — run npm run schema`).toBe(false);
    }
  });

  it('schema/core.graphql is core’s last release, and changes since it are versioned (breaking → major)', async () => {
    const check = await checkCoreSnapshot(set, await readFile(resolve(schemaDir, 'core.graphql'), 'utf8'), CORE_VERSION);
    expect(check.problem, `core: ${check.problem}`).toBeNull();
    expect(check.changed, 'schema/core.graphql is out of date — run npm run schema').toBe(false);
  });

  it('describes every public type and field', () => {
    const lines = files['schema.graphql']!.split('\n');
    const undocumented: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const isType = /^(type|enum|input|interface|union|scalar) /.test(line);
      const isField = /^ {2}[A-Za-z_]\w*[(:]/.test(line);
      if (!isType && !isField) continue;
      if (/^ {2}(id|cursor|node|edges|pageInfo|totalCount|hasNextPage|hasPreviousPage|startCursor|endCursor)\b/.test(line)) continue;
      const prev = lines[i - 1]?.trim() ?? '';
      if (!prev.endsWith('"""') && !prev.endsWith('"')) undocumented.push(line.trim());
    }
    expect(undocumented).toEqual([]);
  });
});
