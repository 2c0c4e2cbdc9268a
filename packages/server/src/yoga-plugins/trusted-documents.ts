import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { Role, Viewer } from '@dangjian/core';
import { ConfigError } from '../config.ts';

/**
 * The source text standing for a trusted document on its way through envelop's `parse`: the placeholder
 * yoga's persisted-operations plugin itself uses, so both transports meet the same hook.
 */
const PLACEHOLDER = /^__PERSISTED_OPERATION_(.+)__$/;
const placeholderOf = (id: string) => `__PERSISTED_OPERATION_${id}__`;

/** A manifest key or documentId: `sha256:` is the GraphQL-over-HTTP prefix of the same hex hash. */
const normalizeId = (id: string): string => {
  const bare = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
  return SHA256_HEX.test(bare) ? bare.toLowerCase() : bare;
};
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** Frontend builds' registered operations: each parsed once, when the server starts. */
export type TrustedDocuments = ReadonlyMap<string, DocumentNode>;

/**
 * Reads a manifest in the format GraphQL Code Generator's client preset (`persisted-documents.json`) and
 * Relay emit, `{ "<hash>": "<document text>" }`. Every document is parsed here, once, under the same token
 * limit requests have (a pre-parsed document never meets the parser's limit again); a sha256 hex key must
 * be the hash of its document, so a client hashing its own text (Apollo's `persistedQuery`) finds it.
 * Anything wrong stops the start with a ConfigError naming DANGJIAN_TRUSTED_DOCUMENTS and the entry.
 */
export function parseTrustedManifest(manifest: unknown, options: { maxTokens?: number } = {}): TrustedDocuments {
  const fail = (message: string) => new ConfigError('DANGJIAN_TRUSTED_DOCUMENTS', message);
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest))
    throw fail('the manifest must be a JSON object of hash → document text');
  const documents = new Map<string, DocumentNode>();
  for (const [key, text] of Object.entries(manifest as Record<string, unknown>)) {
    if (!/^[\w:.-]{1,200}$/.test(key)) throw fail(`"${key.slice(0, 80)}" is not a document id (letters, digits, _ : . -)`);
    if (typeof text !== 'string') throw fail(`entry ${key}: the document must be a string of GraphQL text`);
    const id = normalizeId(key);
    if (SHA256_HEX.test(id)) {
      const actual = createHash('sha256').update(text).digest('hex');
      if (actual !== id) throw fail(`entry ${key}: its document hashes to sha256 ${actual}`);
    }
    if (documents.has(id)) throw fail(`entry ${key} appears twice`);
    try {
      documents.set(id, parse(text, { maxTokens: options.maxTokens }));
    } catch (error) {
      throw fail(
        `entry ${key}: ${(error as Error).message}${options.maxTokens ? ' (GRAPHQL_MAX_TOKENS applies to trusted documents too)' : ''}`,
      );
    }
  }
  return documents;
}

/** Reads and parses the manifest file (see parseTrustedManifest). */
export function loadTrustedManifest(path: string, options: { maxTokens?: number } = {}): TrustedDocuments {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('DANGJIAN_TRUSTED_DOCUMENTS', `cannot read the manifest ${path}: ${(error as Error).message}`);
  }
  return parseTrustedManifest(json, options);
}

/** What a request or a subscribe message may carry to name a trusted document. */
interface DocumentReference {
  documentId?: unknown;
  extensions?: Record<string, unknown> | null;
}

/** `documentId` (GraphQL-over-HTTP, Relay, GraphQL Code Generator), else Apollo's `extensions.persistedQuery.sha256Hash`. */
export function documentIdOf(params: DocumentReference): string | null {
  if (typeof params.documentId === 'string' && params.documentId) return params.documentId;
  const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  return typeof persisted?.sha256Hash === 'string' && persisted.sha256Hash ? persisted.sha256Hash : null;
}

/**
 * The text graphql-ws's subscribe is parsed from: the message's query, or — when it is empty (the
 * protocol requires the field) and the message names a trusted document — the placeholder the parse hook
 * of useTrustedDocuments resolves (or refuses).
 */
export function subscribeSource(payload: DocumentReference & { query: string }): string {
  if (payload.query) return payload.query;
  const id = documentIdOf(payload);
  return id ? placeholderOf(id) : payload.query;
}

export interface TrustedDocumentsOptions {
  /** Path of the manifest; null or absent: none registered (a documentId answers PERSISTED_QUERY_NOT_FOUND). */
  manifest?: string | null;
  /** Documents already loaded (tests), instead of `manifest`. */
  documents?: TrustedDocuments;
  /** Refuse ad-hoc documents (TRUSTED_DOCUMENT_REQUIRED) except for `adhocRoles`. @default false */
  only?: boolean;
  /** Roles still allowed ad-hoc documents when `only` is set. @default [] */
  adhocRoles?: readonly Role[];
  /** The token limit manifest documents are parsed under (GRAPHQL_MAX_TOKENS). */
  maxTokens?: number;
  /** The viewer of an HTTP request; a socket's comes in the envelop context as `departmentViewer`. */
  viewerOf(request: Request): Promise<Viewer | null> | Viewer | null;
}

/** The trusted-documents plugin, and which parsed documents it handed out. */
export interface TrustedDocumentsPlugin extends Plugin {
  /** Whether a parsed document is one of the manifest's (the very object this plugin handed envelop). */
  isTrusted(document: DocumentNode): boolean;
}

const notFound = () =>
  new GraphQLError('unknown trusted document: the documentId is not in this server’s manifest', {
    extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
  });
const required = () =>
  new GraphQLError('this server runs trusted documents only: send the documentId of a registered document', {
    extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' },
  });

/**
 * Trusted documents (persisted operations), over HTTP and graphql-ws alike.
 * - HTTP: yoga's persisted-operations plugin takes `{ documentId }` (POST body or GET query string) or the
 *   Apollo extension and hands envelop the manifest's parsed DocumentNode, so a trusted document is never
 *   parsed per request; yoga's validation cache then validates it once per (department schema, document),
 *   as a WeakMap keyed by those very objects.
 * - graphql-ws (which that plugin never sees): websocket.ts parses `subscribeSource(payload)` through the
 *   same envelop pipeline, and the parse hook here resolves the placeholder or refuses an ad-hoc document.
 * Execution-time plugins (audit trail, rate limits, idempotency, page size) and validation-time limits
 * (depth, aliases, directives, cost) walk the parsed document, so they apply to trusted documents unchanged.
 */
export function useTrustedDocuments(options: TrustedDocumentsOptions): TrustedDocumentsPlugin {
  const documents =
    options.documents ?? (options.manifest ? loadTrustedManifest(options.manifest, { maxTokens: options.maxTokens }) : new Map());
  // Both transports hand envelop the manifest's own DocumentNode, so identity tells a trusted document.
  const trusted = new Set<DocumentNode>(documents.values());
  const adhocRoles = options.adhocRoles ?? [];
  const mayRunAdhoc = (viewer: Viewer | null | undefined) =>
    !options.only || (viewer?.roles.some((role) => adhocRoles.includes(role)) ?? false);
  const lookup = (id: string) => documents.get(normalizeId(id)) ?? null;

  const persisted = usePersistedOperations({
    getPersistedOperation: (id) => lookup(id),
    extractPersistedOperationId: (params: GraphQLParams & DocumentReference, request: Request) => {
      // Yoga's GET parser keeps only query, variables, operationName and extensions.
      const fromUrl = request.method === 'GET' ? new URL(request.url, 'http://localhost').searchParams.get('documentId') : null;
      return fromUrl || documentIdOf(params);
    },
    allowArbitraryOperations: !options.only
      ? true
      : adhocRoles.length === 0
        ? false
        : async (request) => mayRunAdhoc(await options.viewerOf(request)),
    customErrors: {
      notFound: () => notFound(),
      persistedQueryOnly: () => required(),
      keyNotFound: { message: 'Must provide query string or documentId.', extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
    },
  }) as Plugin;

  return {
    isTrusted: (document) => trusted.has(document),
    onPluginInit({ addPlugin }) {
      addPlugin(persisted);
    },
    onParse({ context, params, setParsedDocument }) {
      const placeholder = PLACEHOLDER.exec(typeof params.source === 'string' ? params.source : params.source.body);
      if (placeholder) {
        const document = lookup(placeholder[1]!);
        if (!document) throw notFound();
        setParsedDocument(document);
        return;
      }
      const ctx = context as { request?: Request; departmentViewer?: Viewer | null };
      // HTTP requests were let through (or refused) by the persisted-operations plugin already.
      if (!ctx.request && !mayRunAdhoc(ctx.departmentViewer)) throw required();
    },
  };
}
