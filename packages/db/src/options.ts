/** Where the data lives: the embedded PGlite database, or a PostgreSQL server. */
export type DatabaseOptions =
  | {
      kind: 'embedded';
      /** PGlite data directory, or `memory://` for a throw-away in-memory database. */
      dataDir: string;
    }
  | {
      kind: 'postgres';
      /** `postgres://…` connection string; a `schema` query parameter selects the PostgreSQL schema. */
      url: string;
      /** Largest number of pooled connections. @default 10 */
      poolSize?: number;
      /** How long to wait for a connection before failing; pg's own default waits forever. @default 5000 */
      connectionTimeoutMs?: number;
      /** How long an idle pooled connection is kept. @default 30000 */
      idleTimeoutMs?: number;
    };

/** The PostgreSQL settings a connection string carries, split into what `pg` and Prisma each want. */
export interface PostgresTarget {
  host: string;
  port: number;
  user: string | undefined;
  password: string | undefined;
  database: string;
  /** PostgreSQL schema (namespace); `public` unless the URL names another with `?schema=`. */
  schema: string;
  ssl: boolean;
}

/** Parses a `postgres://` URL, failing with a message that names what is wrong (never the password). */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected postgres://user@host:port/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL names no database (expected postgres://user@host:port/database)');
  const port = parsed.port ? Number(parsed.port) : 5432;
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`DATABASE_URL schema "${schema}" is not a plain identifier`);
  }
  const sslmode = parsed.searchParams.get('sslmode');
  return {
    host: decodeURIComponent(parsed.hostname) || 'localhost',
    port,
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database,
    schema,
    ssl: sslmode !== null && sslmode !== 'disable',
  };
}
