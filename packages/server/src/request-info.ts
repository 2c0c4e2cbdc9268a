import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';

// The request id follows the request through every await, so the masked-error log line, the audit
// records and the X-Request-Id response header of one HTTP request share it without threading it by hand.
const requestIds = new AsyncLocalStorage<string>();

/** Runs `work` with `id` as the current request id. */
export function withRequestId<T>(id: string, work: () => T): T {
  return requestIds.run(id, work);
}

/** The id of the HTTP request being served, if any (graphql-ws messages have none and make their own). */
export function currentRequestId(): string | undefined {
  return requestIds.getStore();
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
