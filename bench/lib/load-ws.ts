/**
 * The subscription load generator, a child process driven over IPC (fork). It opens N graphql-ws
 * clients spread over one or more server URLs, subscribes each, then for every event of a round
 * sends the mutation over HTTP and records, per subscriber, the time from sending it to the event's
 * arrival (one clock: this process sends and receives).
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { percentile } from './stats.ts';

export type WsCommand =
  | { type: 'connect'; urls: string[]; token: string | null; n: number; query: string }
  | { type: 'warmup'; mutation: MutationSpec; timeoutMs: number }
  | { type: 'round'; events: number; mutation: MutationSpec; timeoutMs: number; gapMs: number }
  | { type: 'close' };

export interface MutationSpec {
  url: string;
  headers: Record<string, string>;
  /** A function of the event number (for a fresh value each time) is not serialisable: `$n` in the body is replaced. */
  body: string;
}

export interface RoundResult {
  type: 'round';
  expected: number;
  delivered: number;
  wrong: number;
  p50: number;
  p99: number;
  max: number;
  /** The same per server the clients were spread over (client i on server i mod the number of URLs). */
  perServer: { p50: number; p99: number }[];
  /** This client process's user+system CPU seconds over the round (it reads every subscriber's messages). */
  clientCpu: number;
}

let clients: Client[] = [];
let received: number[] = [];
let servers = 1;
let wrong = 0;
let arrivals: number[] = [];
let counter = 0;
const expectedKind = 'organization.updated';

function send(message: unknown): void {
  process.send!(message);
}

async function connect(cmd: Extract<WsCommand, { type: 'connect' }>): Promise<void> {
  const started = performance.now();
  received = new Array<number>(cmd.n).fill(0);
  servers = cmd.urls.length;
  arrivals = new Array<number>(cmd.n).fill(0);
  const batch = 250;
  for (let start = 0; start < cmd.n; start += batch) {
    const opened: Promise<void>[] = [];
    for (let i = start; i < Math.min(cmd.n, start + batch); i++) {
      const url = cmd.urls[i % cmd.urls.length]!.replace(/^http/, 'ws');
      const client = createClient({
        url,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams: cmd.token ? { authorization: `Bearer ${cmd.token}` } : {},
      });
      clients.push(client);
      opened.push(
        new Promise<void>((res, rej) => {
          const offConnected = client.on('connected', () => {
            offConnected();
            res();
          });
          client.on('closed', (event) => rej(new Error(`socket ${i} closed: ${(event as { code?: number }).code}`)));
        }),
      );
      client.subscribe(
        { query: cmd.query },
        {
          next: (result) => {
            const data = result.data as { activityAdded?: { kind?: string } } | null | undefined;
            if (result.errors || data?.activityAdded?.kind !== expectedKind) wrong++;
            received[i]!++;
            arrivals[i] = performance.now();
          },
          error: () => wrong++,
          complete: () => {},
        },
      );
    }
    await Promise.all(opened);
  }
  send({ type: 'connected', n: cmd.n, ms: Math.round(performance.now() - started) });
}

async function fire(mutation: MutationSpec): Promise<number> {
  counter++;
  const t0 = performance.now();
  const res = await fetch(mutation.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...mutation.headers },
    body: mutation.body.replaceAll('$n', String(counter)),
  });
  const json = (await res.json()) as { errors?: unknown[] };
  if (json.errors) throw new Error(`mutation failed: ${JSON.stringify(json.errors)}`);
  return t0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(target: number, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until && received.some((r) => r < target)) await sleep(5);
}

process.on('message', async (cmd: WsCommand) => {
  try {
    if (cmd.type === 'connect') await connect(cmd);
    else if (cmd.type === 'warmup') {
      // Subscriptions are set up asynchronously after each socket's ack: fire until every client has one.
      const until = performance.now() + cmd.timeoutMs;
      while (received.some((r) => r === 0) && performance.now() < until) {
        await fire(cmd.mutation);
        await sleep(1000);
      }
      // Settle: everyone has the same count again before measuring.
      const most = Math.max(...received);
      await waitFor(most, 5000);
      received = received.map(() => 0);
      wrong = 0;
      send({ type: 'warmed', missing: received.length && clients.length - received.length });
    } else if (cmd.type === 'round') {
      const latencies: number[] = [];
      const byServer: number[][] = Array.from({ length: servers }, () => []);
      let expected = 0;
      const cpu0 = process.cpuUsage();
      received = received.map(() => 0);
      wrong = 0;
      for (let e = 1; e <= cmd.events; e++) {
        const t0 = await fire(cmd.mutation);
        const before = arrivals.slice();
        await waitFor(e, cmd.timeoutMs);
        expected += received.length;
        for (let i = 0; i < received.length; i++) {
          if (received[i]! < e) continue;
          const latency = arrivals[i] !== before[i] ? arrivals[i]! - t0 : Math.max(0, arrivals[i]! - t0);
          latencies.push(latency);
          byServer[i % servers]!.push(latency);
        }
        await sleep(cmd.gapMs);
      }
      latencies.sort((a, b) => a - b);
      const cpu = process.cpuUsage(cpu0);
      const result: RoundResult = {
        type: 'round',
        expected,
        delivered: latencies.length,
        wrong,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies[latencies.length - 1] ?? Number.NaN,
        perServer: byServer.map((l) => {
          l.sort((a, b) => a - b);
          return { p50: percentile(l, 50), p99: percentile(l, 99) };
        }),
        clientCpu: (cpu.user + cpu.system) / 1e6,
      };
      send(result);
    } else if (cmd.type === 'close') {
      await Promise.allSettled(clients.map((c) => c.dispose()));
      clients = [];
      send({ type: 'closed' });
      process.exit(0);
    }
  } catch (error) {
    send({ type: 'error', message: (error as Error).stack ?? String(error) });
  }
});
send({ type: 'ready' });
