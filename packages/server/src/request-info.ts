import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';

// The id is attached to the Node request rather than carried in AsyncLocalStorage: on Node 20 an active
// AsyncLocalStorage turns on promise hooks for every promise, which cost a tenth of the throughput.
const requestIds = new WeakMap<IncomingMessage, string>();

/** Remembers the id given to an HTTP request (it is also the response's X-Request-Id). */
export function assignRequestId(req: IncomingMessage, id: string): void {
  requestIds.set(req, id);
}

/** The id of an HTTP request, if it was given one. */
export function requestIdOf(req: IncomingMessage | undefined): string | undefined {
  return req ? requestIds.get(req) : undefined;
}

const fetchRequestIds = new WeakMap<Request, string>();

/**
 * Carries the id of the Node request over to the Request yoga builds from it, so that code which sees only
 * the Request (authentication, the schema choice) can name the request in what it logs.
 */
export function useRequestIds(): Plugin {
  return {
    onRequest({ request, serverContext }) {
      const id = requestIdOf((serverContext as { req?: IncomingMessage } | undefined)?.req);
      if (id) fetchRequestIds.set(request, id);
    },
  };
}

/** The id of the HTTP request a yoga Request was built from (see useRequestIds). */
export function requestIdOfRequest(request: Request): string | undefined {
  return fetchRequestIds.get(request);
}

/**
 * The credential of a graphql-ws connection: `authorization` or `Authorization` in connection_init's payload
 * (clients differ in the case they send). The one reader of it, so the socket's checks and the context agree.
 */
export function bearerOf(connectionParams: Readonly<Record<string, unknown>> | undefined): string | null {
  const lower = connectionParams?.authorization;
  if (typeof lower === 'string') return lower;
  const upper = connectionParams?.Authorization;
  return typeof upper === 'string' ? upper : null;
}

/**
 * The client's address: the socket's peer, or — behind a reverse proxy the deployment trusts
 * (DANGJIAN_TRUST_PROXY) — the left-most X-Forwarded-For entry, which that proxy sets.
 */
export function clientAddressOf(req: IncomingMessage | undefined, trustProxy: boolean): string | null {
  if (!req) return null;
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket?.remoteAddress ?? null;
}
