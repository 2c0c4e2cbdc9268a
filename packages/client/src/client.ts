import type { TadaDocumentNode } from 'gql.tada';
import { createClient as createWsClient, type Client as WsClient, type ClientOptions as WsClientOptions } from 'graphql-ws';
import { documentId, documentText, operationName } from './documents.ts';
import { clientError, DangjianClientError, type GraphQLErrorEntry } from './errors.ts';
import type { ActivityFeedSubscription } from './operations.ts';
import { ActivityFeedSubscription as defaultFeed } from './operations.ts';
import type { ResultOf } from './graphql.ts';

/** Returns the current access token (a JWT from the identity provider), or nothing to call anonymously. */
export type TokenGetter = () => string | null | undefined | Promise<string | null | undefined>;

/** The variables argument: optional when the operation has no required variables. */
export type VariablesArgument<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `https://dangjian.example.gov.cn/graphql`. */
  url: string;
  /** Called before every HTTP request and every socket connection, so a refreshed token is picked up. */
  token?: TokenGetter;
  /** The graphql-ws endpoint. @default `url` with `http` replaced by `ws` */
  wsUrl?: string;
  /**
   * The WebSocket class for subscriptions where there is no global one — Node 20: `import WebSocket from 'ws'`.
   * @default globalThis.WebSocket
   */
  webSocketImpl?: unknown;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Extra HTTP headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Send HTTP operations as trusted documents, `{ "documentId": "<sha256 hex of the text>" }`, instead of their
   * text. The server must have them in its `DANGJIAN_TRUSTED_DOCUMENTS` manifest (this package's operations are
   * in `@dangjian/client/persisted-documents.json`; see `buildManifest` for your own). Over the socket the text
   * is sent, exactly as printed in the manifest.
   * @default false
   */
  trustedDocuments?: boolean;
  /**
   * Options passed to graphql-ws's `createClient` (keepAlive, lazyCloseTimeout, on …). The client sets
   * `retryAttempts: Infinity` with a backoff of 0.5 s doubling to 30 s; a socket refused twice in a row for
   * its token (close code 4403) is not retried again.
   */
  ws?: Omit<WsClientOptions, 'url' | 'connectionParams' | 'webSocketImpl'>;
}

/** Receives a subscription's results. */
export interface Sink<T> {
  next(value: T): void;
  /** The subscription has ended with an error: GraphQL errors, a refused token, or a socket that cannot be reopened. */
  error?(error: DangjianClientError): void;
  /** The server ended the subscription. */
  complete?(): void;
}

/** The variables an activity feed document takes. */
export interface FeedVariables {
  under?: string | null;
  after?: string | null;
}

/** One activity as the default feed document selects it. */
export type FeedActivity = ResultOf<typeof ActivityFeedSubscription>['activityAdded'];

export interface FeedOptions {
  /** Watch this organization (global ID) and everything below it. @default the token's organization */
  under?: string | null;
  /** Start after this activity (e.g. the last one shown before a page reload): what was missed comes first. */
  after?: string | null;
}

/** A running feed. */
export interface Feed {
  /** The id of the last activity delivered: resume from it later with `after`. */
  readonly lastId: string | null;
  unsubscribe(): void;
}

export interface DangjianClient {
  /** Runs a query over HTTP; resolves with its data or rejects with a {@link DangjianClientError}. */
  query<R, V>(document: TadaDocumentNode<R, V>, ...variables: VariablesArgument<V>): Promise<R>;
  /** Runs a mutation over HTTP; resolves with its data or rejects with a {@link DangjianClientError}. */
  mutate<R, V>(document: TadaDocumentNode<R, V>, ...variables: VariablesArgument<V>): Promise<R>;
  /**
   * Subscribes over graphql-ws. After a dropped connection it resubscribes with the same variables — events
   * in the gap are not replayed; use {@link DangjianClient.activities} for the feed. Returns the unsubscribe.
   */
  subscribe<R, V>(document: TadaDocumentNode<R, V>, variables: V, sink: Sink<R>): () => void;
  /**
   * The live activity feed (`activityAdded`). After a dropped connection it resubscribes with
   * `after: <id of the last activity received>`, so the server replays what was missed: every activity
   * arrives once, none is lost. A custom document must select `activityAdded { id }` and take `$under`
   * and `$after`.
   */
  activities(options: FeedOptions, sink: Sink<FeedActivity>): Feed;
  activities<R extends { activityAdded: { id: string } }>(
    options: FeedOptions & { document: TadaDocumentNode<R, FeedVariables> },
    sink: Sink<R['activityAdded']>,
  ): Feed;
  /** Closes the socket (if one was opened); running subscriptions complete. */
  dispose(): Promise<void>;
}

interface GraphQLResponse {
  data?: unknown;
  errors?: GraphQLErrorEntry[];
}

const isCloseLike = (value: unknown): value is { code: number; reason: string } =>
  typeof value === 'object' && value !== null && 'code' in value && 'reason' in value && typeof value.code === 'number';

/** A failure reported by graphql-ws (GraphQL errors, a close event, an error event) as a client error. */
function socketError(failure: unknown): DangjianClientError {
  if (Array.isArray(failure)) return new DangjianClientError(failure as GraphQLErrorEntry[]);
  if (isCloseLike(failure)) {
    const extensions = { closeCode: failure.code, reason: failure.reason };
    // 4403: the server refused the token (bad, expired, revoked) — to the app, a sign-in problem.
    const code = failure.code === 4403 ? 'UNAUTHENTICATED' : 'SOCKET_CLOSED';
    return clientError(code, `socket closed: ${failure.code}${failure.reason ? ` ${failure.reason}` : ''}`, { extensions, cause: failure });
  }
  if (failure instanceof DangjianClientError) return failure;
  const message = failure instanceof Error ? failure.message : 'socket error';
  return clientError('NETWORK_ERROR', message, { cause: failure });
}

const backoff = (retries: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** retries) + Math.random() * 500));

/**
 * A client for the dangjian API: typed queries and mutations over HTTP (fetch), subscriptions over
 * graphql-ws on the same endpoint, both authenticated by the token getter.
 *
 * @example
 * const client = createClient({ url: 'http://localhost:4000/graphql', token: () => session.token, webSocketImpl: WebSocket });
 * const { viewer } = await client.query(ViewerQuery);
 */
export function createClient(options: ClientOptions): DangjianClient {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const wsUrl = options.wsUrl ?? options.url.replace(/^http/, 'ws');
  let socket: WsClient | undefined;
  // Consecutive 4403 closes since the last acknowledged connection: the first may be an expired token the
  // getter has since refreshed, a second means the getter's token is refused.
  let refusedInARow = 0;
  let tokenFailure: unknown;

  const bearer = async () => {
    const token = await options.token?.();
    return token ? `Bearer ${token}` : undefined;
  };

  async function execute<R>(document: TadaDocumentNode<R, any>, variables: unknown): Promise<R> {
    const authorization = await bearer();
    const body = options.trustedDocuments
      ? { documentId: await documentId(document), operationName: operationName(document), variables: variables ?? {} }
      : { query: documentText(document), operationName: operationName(document), variables: variables ?? {} };
    let response: Response;
    try {
      response = await fetchImpl(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...options.headers,
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify(body),
      });
    } catch (cause) {
      throw clientError('NETWORK_ERROR', `request to ${options.url} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
        cause,
      });
    }
    let result: GraphQLResponse;
    try {
      result = (await response.json()) as GraphQLResponse;
    } catch (cause) {
      throw clientError('HTTP_ERROR', `HTTP ${response.status}: not a GraphQL response`, { status: response.status, cause });
    }
    if (result.errors?.length) throw new DangjianClientError(result.errors, { data: result.data, status: response.status });
    if (!response.ok || result.data == null)
      throw clientError('HTTP_ERROR', `HTTP ${response.status}: no data`, { status: response.status });
    return result.data as R;
  }

  function ws(): WsClient {
    if (socket) return socket;
    socket = createWsClient({
      url: wsUrl,
      webSocketImpl: options.webSocketImpl,
      retryAttempts: Number.POSITIVE_INFINITY,
      retryWait: backoff,
      // Network errors and closes are retried (the library itself gives up on protocol errors such as 4400);
      // not a token the server refused twice in a row, nor a token getter that threw.
      shouldRetry: (failure) => {
        if (failure === tokenFailure) return false;
        if (isCloseLike(failure)) return !(failure.code === 4403 && refusedInARow > 1);
        return !(failure instanceof Error);
      },
      connectionParams: async () => {
        try {
          const authorization = await bearer();
          return authorization ? { authorization } : {};
        } catch (error) {
          tokenFailure = error;
          throw error;
        }
      },
      ...options.ws,
    });
    socket.on('connected', () => void (refusedInARow = 0));
    socket.on('closed', (event) => void (isCloseLike(event) && event.code === 4403 && (refusedInARow += 1)));
    return socket;
  }

  /**
   * Subscribes with a payload whose variables are read at each (re)subscription: graphql-ws sends the
   * same payload again after it reconnects, so `resume` can move the starting point.
   */
  function open<R>(
    document: TadaDocumentNode<R, any>,
    variables: Record<string, unknown> | undefined,
    sink: Sink<R>,
    resume?: () => Record<string, unknown>,
  ) {
    let ended = false;
    const payload = {
      query: documentText(document),
      operationName: operationName(document),
      get variables() {
        return { ...variables, ...resume?.() };
      },
    };
    return ws().subscribe<R>(payload, {
      next: (result) => {
        if (ended) return;
        if (result.errors?.length) {
          ended = true;
          sink.error?.(new DangjianClientError(result.errors as GraphQLErrorEntry[], { data: result.data }));
        } else if (result.data != null) sink.next(result.data as R);
      },
      error: (failure) => {
        if (ended) return;
        ended = true;
        sink.error?.(socketError(failure));
      },
      complete: () => {
        if (ended) return;
        ended = true;
        sink.complete?.();
      },
    });
  }

  return {
    query: (document, ...[variables]) => execute(document, variables),
    mutate: (document, ...[variables]) => execute(document, variables),
    subscribe: (document, variables, sink) => open(document, variables as Record<string, unknown> | undefined, sink),
    activities(
      feedOptions: FeedOptions & { document?: TadaDocumentNode<{ activityAdded: { id: string } }, FeedVariables> },
      sink: Sink<any>,
    ): Feed {
      let lastId = feedOptions.after ?? null;
      // Ids already delivered (the most recent ones): a replay overlapping what arrived live is dropped.
      const seen = new Set<string>();
      const variables: Record<string, unknown> = {};
      if (feedOptions.under != null) variables.under = feedOptions.under;
      const unsubscribe = open(
        feedOptions.document ?? defaultFeed,
        variables,
        {
          next: ({ activityAdded: activity }) => {
            if (seen.has(activity.id)) return;
            seen.add(activity.id);
            if (seen.size > 1000) seen.delete(seen.values().next().value!);
            lastId = activity.id;
            sink.next(activity);
          },
          error: (error) => sink.error?.(error),
          complete: () => sink.complete?.(),
        },
        () => (lastId ? { after: lastId } : {}),
      );
      return {
        get lastId() {
          return lastId;
        },
        unsubscribe,
      };
    },
    async dispose() {
      await socket?.dispose();
    },
  };
}
