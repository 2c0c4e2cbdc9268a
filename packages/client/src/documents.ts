import { print } from '@0no-co/graphql.web';
import type { DocumentNode } from '@0no-co/graphql.web';

const texts = new WeakMap<DocumentNode, string>();
const ids = new WeakMap<DocumentNode, Promise<string>>();

/** The text the client sends for a document (and stores in the manifest): the document printed. */
export function documentText(document: DocumentNode): string {
  let text = texts.get(document);
  if (text === undefined) texts.set(document, (text = print(document)));
  return text;
}

/** SHA-256 of the text, in lowercase hex (Web Crypto: browsers and Node ≥ 20). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The trusted-document id of a document: `sha256(documentText(document))` in hex. */
export function documentId(document: DocumentNode): Promise<string> {
  let id = ids.get(document);
  if (id === undefined) ids.set(document, (id = sha256Hex(documentText(document))));
  return id;
}

/** The operation name of a document's (first) operation, sent as `operationName`. */
export function operationName(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) if (definition.kind === 'OperationDefinition') return definition.name?.value;
  return undefined;
}

/**
 * A trusted-documents manifest, `{ "<sha256 hex>": "<document text>" }`, of the given documents — the format
 * the server reads from `DANGJIAN_TRUSTED_DOCUMENTS`. An application merges the manifest of its own
 * documents with this package's `persisted-documents.json`.
 */
export async function buildManifest(documents: Iterable<DocumentNode>): Promise<Record<string, string>> {
  const manifest: Record<string, string> = {};
  for (const document of documents) manifest[await documentId(document)] = documentText(document);
  return manifest;
}
