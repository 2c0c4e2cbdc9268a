import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, validate, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { PubSub, Viewer } from '@dangjian/core';
import { assignRequestId, bearerOf, requestIdOf } from './request-info.ts';
import { subscribeSource } from './yoga-plugins/trusted-documents.ts';

type Enveloped = { execute: (args: ExecutionArgs) => never; subscribe: (args: ExecutionArgs) => Promise<unknown> | unknown };

export interface WebSocketOptions {
  /**
   * The connection's viewer from its connection_init payload; throws when the token is invalid. `request`
   * is the upgrade request, whose id (given at connect) names the socket in log lines.
   */
  authenticate(connectionParams: Record<string, unknown>, request: IncomingMessage): Promise<Viewer | null>;
  limits: { maxSubscriptionsPerSocket: number; maxFrameBytes: number; initTimeoutMs: number };
  /** The schema for a connection's viewer (from its connection_init payload). */
  schemaFor(connectionParams: Record<string, unknown>): Promise<GraphQLSchema>;
  /** The id of the connection viewer's top-level organization, or null when anonymous. */
  rootOf(connectionParams: Record<string, unknown>): Promise<string | null>;
  /** Drops cached enablement before re-checking (the change may come from another process). */
  invalidate(rootOrganizationId: string): void;
  pubsub: PubSub;
}

interface ActiveSubscription {
  root: string;
  document: DocumentNode;
  connectionParams: Record<string, unknown>;
  stop(error: GraphQLError): void;
}

/** True when connection_init brought a token. */

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Relays a subscription's results until `stopped` settles, then sends its error and ends; `onEnd` runs once
 * when it ends either way. A pending `next()` is settled by the stop itself: the source may be waiting for
 * an event that never comes. (Racing each `next()` against the stop promise would leave one reaction on
 * it per event for the life of the subscription.)
 */
function untilStopped(
  source: AsyncIterable<ExecutionResult>,
  stopped: Promise<GraphQLError>,
  onEnd: () => void,
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let stopError: GraphQLError | null = null;
  let settle: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
  const finish = () => {
    if (finished) return;
    finished = true;
    onEnd();
    void Promise.resolve(iterator.return?.()).catch(() => {});
  };
  void stopped.then((error) => {
    if (finished) return;
    stopError = error;
    if (settle) {
      const pending = settle;
      settle = null;
      stopError = null;
      finish();
      pending({ value: { errors: [error] }, done: false });
    }
  });
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (stopError) {
        const error = stopError;
        stopError = null;
        finish();
        return Promise.resolve({ value: { errors: [error] }, done: false });
      }
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        settle = resolve;
        iterator.next().then(
          (result) => {
            if (settle !== resolve) return; // stopped meanwhile
            settle = null;
            if (result.done) finish();
            resolve(result);
          },
          (error: unknown) => {
            if (settle !== resolve) return;
            settle = null;
            finish();
            reject(error);
          },
        );
      });
    },
    return() {
      finish();
      // A consumer that leaves while waiting must not leave that wait hanging.
      const pending = settle;
      settle = null;
      pending?.({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error: unknown) {
      finish();
      return Promise.reject(error);
    },
  };
}

/**
 * graphql-ws on the same port and path as HTTP. Each subscription runs against the schema of its
 * viewer's department; when that department disables a plugin, every open subscription whose
 * operation no longer validates is ended with a PLUGIN_DISABLED error.
 */
export function attachWebSocket(
  server: Server,
  yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>,
  options: WebSocketOptions,
) {
  // Frames over the limit close the socket (1009) before they are parsed.
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: options.limits.maxFrameBytes });
  const active = new Set<ActiveSubscription>();
  // Open sockets per user, with when their token was issued: a session revocation closes them at once.
  const byUser = new Map<string, Map<{ close(code: number, reason: string): void }, number | null>>();
  const perSocket = new WeakMap<object, { subscriptions: number; expiry?: NodeJS.Timeout }>();
  const socketState = (socket: object) => {
    let state = perSocket.get(socket);
    if (!state) {
      state = { subscriptions: 0 };
      perSocket.set(socket, state);
    }
    return state;
  };

  /** Ties a socket to its viewer: closed when their sessions are revoked, and when the token expires. */
  const bindViewer = (
    socket: { close(code: number, reason: string): void; once(event: 'close', listener: () => void): unknown },
    viewer: Viewer,
  ) => {
    const sockets = byUser.get(viewer.userId) ?? new Map();
    sockets.set(socket, viewer.issuedAt ?? null);
    byUser.set(viewer.userId, sockets);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && byUser.get(viewer.userId) === sockets) byUser.delete(viewer.userId);
    });
    if (viewer.expiresAt) {
      const timer = setTimeout(() => socket.close(4403, 'token expired'), Math.max(0, viewer.expiresAt - Date.now()));
      timer.unref();
      socketState(socket).expiry = timer;
      socket.once('close', () => clearTimeout(timer));
    }
  };

  /**
   * GraphiQL (through graphql-tools' WebSocket executor) opens the socket with an empty connection_init and
   * sends the header editor's contents with each operation, in `extensions.headers`. On a socket that came
   * without credentials, the first operation carrying an Authorization header authenticates the socket as
   * if the token had come with connection_init — one viewer per socket, the same checks, revocation and
   * expiry — and a bad token closes it with 4403 as at the door. A socket that has credentials ignores them.
   */
  const authenticateLate = async (
    ctx: {
      connectionParams?: Readonly<Record<string, unknown>>;
      extra: { socket: Parameters<typeof bindViewer>[0]; request: IncomingMessage };
    },
    extensions: unknown,
  ): Promise<boolean> => {
    if (bearerOf(ctx.connectionParams) !== null) return true;
    const headers = (extensions as { headers?: Record<string, unknown> } | undefined)?.headers;
    const authorization = headers?.authorization ?? headers?.Authorization;
    if (typeof authorization !== 'string' || boundLate.has(ctx.extra.socket)) return true;
    boundLate.add(ctx.extra.socket);
    const params = { authorization };
    let viewer: Viewer | null;
    try {
      viewer = await options.authenticate(params, ctx.extra.request);
    } catch {
      ctx.extra.socket.close(4403, 'Forbidden');
      return false;
    }
    (ctx as { connectionParams?: Record<string, unknown> }).connectionParams = params;
    if (viewer) bindViewer(ctx.extra.socket, viewer);
    return true;
  };
  const boundLate = new WeakSet<object>();

  const disposable = useServer(
    {
      // No connection_init within the limit → 4408; a second init → 4429; subscribe before ack → 4401;
      // a reused id → 4409; an unparsable message → 4400 (graphql-ws enforces these).
      connectionInitWaitTimeout: options.limits.initTimeoutMs,
      onConnect: async (ctx) => {
        // The socket's id: what its log lines carry (each operation on it gets one of its own as well).
        if (!requestIdOf(ctx.extra.request)) assignRequestId(ctx.extra.request, randomUUID());
        let viewer: Viewer | null;
        try {
          viewer = await options.authenticate((ctx.connectionParams ?? {}) as Record<string, unknown>, ctx.extra.request);
        } catch {
          return false; // → 4403 Forbidden: a bad or expired token is refused at the door
        }
        if (viewer) bindViewer(ctx.extra.socket, viewer);
        return true;
      },
      onComplete: (ctx) => {
        const state = socketState(ctx.extra.socket);
        state.subscriptions = Math.max(0, state.subscriptions - 1);
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: async (args) => {
        const { subscribe, entry } = args.rootValue as Enveloped & { entry: ActiveSubscription & { stopped: Promise<GraphQLError> } };
        const result = await subscribe(args);
        if (!isAsyncIterable(result)) return result as ExecutionResult;
        active.add(entry);
        return untilStopped(result, entry.stopped, () => active.delete(entry)) as never;
      },
      onSubscribe: async (ctx, _id, payload) => {
        if (!(await authenticateLate(ctx, payload.extensions)))
          return [new GraphQLError('invalid or expired token', { extensions: { code: 'UNAUTHENTICATED' } })];
        const connectionParams = (ctx.connectionParams ?? {}) as Record<string, unknown>;
        const state = socketState(ctx.extra.socket);
        if (state.subscriptions >= options.limits.maxSubscriptionsPerSocket) {
          return [
            new GraphQLError(`at most ${options.limits.maxSubscriptionsPerSocket} operations may run on one socket`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ];
        }
        // The slot is taken before any await: 21 subscribe messages in one burst must not all pass the check.
        state.subscriptions++;
        const refuse = (errors: readonly GraphQLError[]) => {
          state.subscriptions--;
          return [...errors];
        };
        const schema = await options.schemaFor(connectionParams);
        const departmentViewer = await options.authenticate(connectionParams, ctx.extra.request).catch(() => null);
        // The enveloped parse and validate carry the same limits (depth, aliases, tokens, cost) as HTTP.
        const { execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          departmentSchema: schema,
          departmentViewer,
        });
        let document: DocumentNode;
        try {
          // A trusted document comes as `{ query: "", documentId }` (graphql-ws requires the query field);
          // the trusted-documents parse hook resolves it, or refuses an unknown id or an ad-hoc document.
          document = parse(subscribeSource(payload));
        } catch (error) {
          return refuse([error as GraphQLError]);
        }
        let errors: readonly GraphQLError[];
        try {
          errors = validate(schema, document);
        } catch (error) {
          // Operation limits reject by throwing while validating; the client gets the reason, not a crash.
          return refuse([error instanceof GraphQLError ? error : new GraphQLError('invalid operation')]);
        }
        if (errors.length > 0) return refuse(errors);
        let stop!: (error: GraphQLError) => void;
        const stopped = new Promise<GraphQLError>((resolve) => (stop = resolve));
        const root = (await options.rootOf(connectionParams)) ?? '';
        const entry = { root, document, connectionParams, stop, stopped };
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe, entry },
        };
      },
    },
    wss,
  );

  // A department changed its plugins: re-validate that department's open subscriptions.
  const changes = options.pubsub.subscribe('plugins:changed')[Symbol.asyncIterator]();
  void (async () => {
    while (true) {
      const next = await changes.next();
      if (next.done) return;
      const { rootOrganizationId, pluginId, enabled } = next.value;
      if (enabled) continue;
      options.invalidate(rootOrganizationId);
      for (const sub of [...active]) {
        if (sub.root !== rootOrganizationId) continue;
        // The database may be down just now; such a subscription is checked again after the next gap.
        const schema = await options.schemaFor(sub.connectionParams).catch(() => null);
        if (schema && validate(schema, sub.document).length > 0) {
          sub.stop(
            new GraphQLError(`the ${pluginId} plugin was disabled for your organization; this subscription has ended`, {
              extensions: { code: 'PLUGIN_DISABLED', pluginId },
            }),
          );
        }
      }
    }
  })();

  // After a bus outage a department may have disabled a plugin unheard: re-validate every subscription.
  const gaps = options.pubsub.subscribe('bus:gap')[Symbol.asyncIterator]();
  void (async () => {
    while (true) {
      const next = await gaps.next();
      if (next.done) return;
      for (const sub of [...active]) {
        options.invalidate(sub.root);
        const schema = await options.schemaFor(sub.connectionParams).catch(() => null);
        if (schema && validate(schema, sub.document).length > 0) {
          sub.stop(
            new GraphQLError('a plugin was disabled for your organization; this subscription has ended', {
              extensions: { code: 'PLUGIN_DISABLED' },
            }),
          );
        }
      }
    }
  })();

  return {
    wss,
    /** Open sockets and running subscriptions (metrics). */
    stats: () => ({ sockets: wss.clients.size, subscriptions: active.size }),
    /**
     * A user's sessions were revoked (roles withdrawn, account disabled): sockets authenticated with a token
     * issued before `revokedBefore` close with 4403 now, ending their subscriptions; the client must sign in again.
     */
    revoke(userId: string, revokedBefore: number) {
      for (const [socket, issuedAt] of byUser.get(userId) ?? []) {
        if (issuedAt === null || issuedAt <= revokedBefore) socket.close(4403, 'session revoked');
      }
    },
    /** Closes every socket with 1001 (going away) and stops the socket server. */
    async close() {
      await changes.return?.();
      await gaps.return?.();
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await disposable.dispose();
    },
  };
}
