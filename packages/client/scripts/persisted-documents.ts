import { fileURLToPath } from 'node:url';
import { buildManifest } from '../src/documents.ts';
import { operations } from '../src/operations.ts';

/** Where the manifest of this package's operations is committed (and exported as `@dangjian/client/persisted-documents.json`). */
export const manifestPath = fileURLToPath(new URL('../persisted-documents.json', import.meta.url));

/** The manifest file's contents: `{ "<sha256 hex>": "<document text>" }` for every operation, in declaration order. */
export async function renderManifest(): Promise<string> {
  return `${JSON.stringify(await buildManifest(Object.values(operations)), null, 2)}\n`;
}
