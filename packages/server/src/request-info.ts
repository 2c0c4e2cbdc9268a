import type { IncomingMessage } from 'node:http';

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
