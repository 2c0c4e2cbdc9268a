import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';

/**
 * Runs one SQL statement: call `run` and return what it returns (a tracer opens a span around it). Set
 * after the database is open (`Database.instrument`), so a database shared by tests can be traced too.
 */
export type StatementHook = <T>(sql: string, run: () => Promise<T>) => Promise<T>;

/** Connections of the database: a PostgreSQL pool's, or the one connection of the embedded PGlite. */
export interface PoolStats {
  /** Most connections the pool opens (1 for PGlite). */
  max: number;
  /** Connections checked out (PostgreSQL) or busy with a statement (PGlite: 0 or 1). */
  inUse: number;
  /** Open and idle (PostgreSQL only; PGlite: 1 − inUse). */
  idle: number;
  /** Requests waiting for a connection (PostgreSQL), or statements queued behind the running one (PGlite). */
  waiting: number;
}

/** Holds the statement hook and counts statements in flight (what PGlite's pool figures come from). */
export class StatementInstrument {
  hook: StatementHook | null = null;
  inFlight = 0;

  async run<T>(sql: string, run: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await (this.hook ? this.hook(sql, run) : run());
    } finally {
      this.inFlight--;
    }
  }
}

function wrapQueryable<Q extends Pick<SqlDriverAdapter, 'queryRaw' | 'executeRaw'>>(target: Q, instrument: StatementInstrument): Q {
  const queryRaw = target.queryRaw.bind(target);
  const executeRaw = target.executeRaw.bind(target);
  return Object.assign(target, {
    queryRaw: (query: SqlQuery) => instrument.run(query.sql, () => queryRaw(query)),
    executeRaw: (query: SqlQuery) => instrument.run(query.sql, () => executeRaw(query)),
  });
}

/**
 * The Prisma driver-adapter factory with every statement (also inside transactions) passed through
 * `instrument`. Wrapping the adapter rather than reading Prisma's query log keeps the caller's async
 * context, so a statement's span is the child of the resolver (or request) that caused it.
 */
export function instrumentedFactory<F extends SqlDriverAdapterFactory>(factory: F, instrument: StatementInstrument): F {
  const connect = factory.connect.bind(factory);
  return Object.assign(factory, {
    async connect() {
      const adapter = wrapQueryable(await connect(), instrument);
      const startTransaction = adapter.startTransaction.bind(adapter);
      return Object.assign(adapter, {
        startTransaction: async (...args: Parameters<SqlDriverAdapter['startTransaction']>): Promise<Transaction> =>
          wrapQueryable(await startTransaction(...args), instrument),
      });
    },
  });
}
