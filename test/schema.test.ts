import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedSchemas } from '@dangjian/server';

describe('published SDL', () => {
  for (const [name, sdl] of Object.entries(publishedSchemas())) {
    it(`schema/${name} matches the code (regenerate with: npm run schema)`, async () => {
      const committed = await readFile(resolve(import.meta.dirname, '../schema', name), 'utf8');
      expect(sdl === committed, `schema/${name} drifted from the code — run npm run schema and commit it`).toBe(true);
    });
  }

  it('describes every public type and field', () => {
    const sdl = publishedSchemas()['schema.graphql']!;
    // A field or type line not preceded by a description string.
    const lines = sdl.split('\n');
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
