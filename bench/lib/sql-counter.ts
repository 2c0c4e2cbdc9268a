/**
 * Preloaded into every benchmarked server process (`node --import tsx --import bench/lib/sql-counter.ts …`):
 * counts the SQL statements the process sends and serves the count on 127.0.0.1:$BENCH_STATS_PORT.
 *
 * PostgreSQL: every statement of every library here (Prisma's pg adapter, PostGraphile's @dataplan/pg,
 * the hand-written peers) goes through `pg.Client.prototype.query` (pool.query checks a client out and
 * calls it), so patching that one method counts them all, BEGIN/COMMIT included.
 * PGlite: Prisma's PGlite adapter calls `query` (and `exec` for scripts) on the PGlite instance.
 *
 * Redis (scenario 5): when and which `activity:added` messages the process published and received
 * through ioredis, timed on the machine's clock (`performance.timeOrigin + performance.now()`, the same
 * for every process here), so the bench can take the Redis hop itself — publish on A to the message
 * handed to B's handler — apart from what the clients see end to end.
 *
 * GET /      → {"statements": n}
 * GET /reset → the same, then sets the counter to 0
 * GET /bus   → {"published": [[message, ms], …], "received": [[message, ms], …]}
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let statements = 0;

function patch(proto: object | null, names: string[]): void {
  for (const name of names) {
    let owner = proto;
    while (owner && !Object.hasOwn(owner, name)) owner = Object.getPrototypeOf(owner);
    if (!owner) continue;
    const original = (owner as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
    if (typeof original !== 'function' || (original as { __counted?: boolean }).__counted) continue;
    const counted = function (this: unknown, ...args: unknown[]) {
      statements++;
      return original.apply(this, args);
    };
    (counted as { __counted?: boolean }).__counted = true;
    (owner as Record<string, unknown>)[name] = counted;
  }
}

try {
  const pg = require('pg') as { Client: { prototype: object } };
  patch(pg.Client.prototype, ['query']);
} catch {
  // pg is not installed where this process runs: nothing to count there.
}
if (process.env.BENCH_COUNT_PGLITE) {
  try {
    const { PGlite } = (await import('@electric-sql/pglite')) as { PGlite: { prototype: object } };
    patch(PGlite.prototype, ['query', 'exec']);
  } catch {
    // no PGlite here
  }
}

const published = new Map<string, number>();
const received = new Map<string, number>();
const BUS_KEEP = 5000;
const busTopic = (channel: unknown) => String(channel).endsWith('activity:added');
const record = (into: Map<string, number>, message: unknown) => {
  into.set(String(message), performance.timeOrigin + performance.now());
  if (into.size > BUS_KEEP) into.delete(into.keys().next().value!);
};
try {
  const { Redis } = require('ioredis') as { Redis: { prototype: Record<string, (...args: unknown[]) => unknown> } };
  const publish = Redis.prototype.publish!;
  Redis.prototype.publish = function (this: unknown, ...args: unknown[]) {
    if (busTopic(args[0])) record(published, args[1]);
    return publish.apply(this, args);
  };
  // ioredis hands a subscriber's messages to `emit('message', channel, message)`.
  const emit = Redis.prototype.emit!;
  Redis.prototype.emit = function (this: unknown, ...args: unknown[]) {
    if (args[0] === 'message' && busTopic(args[1])) record(received, args[2]);
    return emit.apply(this, args);
  };
} catch {
  // ioredis is not installed where this process runs: no bus to time.
}

const port = Number(process.env.BENCH_STATS_PORT ?? 0);
if (port) {
  createServer((req, res) => {
    const body =
      req.url === '/bus' ? JSON.stringify({ published: [...published], received: [...received] }) : JSON.stringify({ statements });
    if (req.url === '/reset') statements = 0;
    res.setHeader('content-type', 'application/json');
    res.end(body);
  })
    .listen(port, '127.0.0.1')
    .unref();
}
