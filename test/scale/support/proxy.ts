import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on loopback between the servers and PostgreSQL or Redis, to simulate outages without
 * touching the shared services: `cut()` destroys every open connection and refuses new ones (the
 * listening socket stays bound, so the port cannot be taken by someone else), `restore()` accepts again.
 * `delayMs` holds each chunk towards the client back, to keep requests in flight.
 */
export interface TcpProxy {
  /** The port to connect to instead of the target's. */
  port: number;
  /** Drops every connection now and refuses (resets) new ones until `restore`. */
  cut(): void;
  restore(): void;
  readonly down: boolean;
  /** Added latency on the way back to the client, in milliseconds (0 = none). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let down = false;
  const state = { delayMs: 0 };
  const server: Server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (state.delayMs <= 0) {
        client.write(chunk);
        return;
      }
      upstream.pause();
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
        upstream.resume();
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get down() {
      return down;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    cut() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    async close() {
      down = true;
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
