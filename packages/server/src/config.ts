import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatabaseOptions, DataKey, DataKeyring } from '@dangjian/db';
import { parseDataKeys, parseLookupKey, parsePostgresUrl } from '@dangjian/db';
// The light entry points: a CLI command that needs no schema does not load it (see cli.ts).
import { ROLES, type Role } from '@dangjian/core/auth';
import { formatDuration, parseDuration } from './duration.ts';
import type { CompiledExecutionMode } from './yoga-plugins/compiled-execution.ts';

/** Validated server configuration. */
export interface Config {
  port: number;
  host: string;
  database: DatabaseOptions;
  redisUrl: string | null;
  /** Prefix of the Redis pub/sub channels (deployments or test runs sharing one Redis stay apart). */
  redisChannelPrefix: string;
  /** Plugin ids to load; null means every installed plugin. */
  plugins: string[] | null;
  auth: {
    /** HS256 shared secret (development and small deployments). */
    jwtSecret: string | null;
    /** PEM public key (RS256/ES256/EdDSA). */
    jwtPublicKey: string | null;
    /** JWKS endpoint of the identity provider. */
    jwksUrl: string | null;
    /** Algorithm of JWT_PUBLIC_KEY. */
    publicKeyAlgorithm: 'RS256' | 'PS256' | 'ES256' | 'EdDSA';
    /** The longest lifetime a token may have, in seconds (JWT_MAX_LIFETIME); longer ones are refused. */
    maxTokenLifetimeSeconds: number;
    /**
     * The identity provider's role names → this API's roles (DANGJIAN_ROLE_MAP); a name it does not hold is
     * refused. Null: tokens name the API's own roles exactly.
     */
    roleMap: ReadonlyMap<string, Role> | null;
  };
  /**
   * Keys protecting national ID numbers at rest (DANGJIAN_DATA_KEYS + DANGJIAN_LOOKUP_KEY); null in
   * development without them, where keys are generated once beside the data (see personal-data.ts).
   */
  dataKeys: DataKeyring | null;
  production: boolean;
  /** Take the client address from X-Forwarded-For (only behind a reverse proxy that sets it). */
  trustProxy: boolean;
  /** How long shutdown waits for in-flight requests before closing anyway. */
  shutdownGraceMs: number;
  /**
   * Embedded database: how often tables changed enough since their last ANALYZE are analyzed
   * (DANGJIAN_AUTOANALYZE_INTERVAL_MS; autovacuum's job on a server, which PGlite does not run). 0: never.
   * @default 60000 (0 when NODE_ENV=test)
   */
  autoAnalyzeIntervalMs: number;
  /** Operation limits (HTTP and WebSocket). */
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    maxCost: number;
    /** Largest request body in bytes. */
    maxBodyBytes: number;
    /** Subscriptions one socket may hold. */
    maxSubscriptionsPerSocket: number;
    /** Root fields (aliases counted) per user per minute, and per user and field per minute. */
    ratePerUserPerMinute: number;
    ratePerFieldPerMinute: number;
  };
  /** Roles that may introspect the schema in production (none by default). */
  introspectionRoles: string[];
  /** Trusted documents (persisted operations): a manifest of hash → document registered by frontend builds. */
  trustedDocuments: {
    /** Absolute path of the manifest (DANGJIAN_TRUSTED_DOCUMENTS); null: no document is registered. */
    manifest: string | null;
    /** Refuse any document not in the manifest (DANGJIAN_TRUSTED_ONLY), over HTTP and graphql-ws. */
    only: boolean;
    /** Roles still allowed ad-hoc documents when `only` is set (DANGJIAN_TRUSTED_ADHOC_ROLES), e.g. for GraphiQL. */
    adhocRoles: Role[];
  };
  /**
   * Which documents run on graphql-jit (DANGJIAN_COMPILED_EXECUTION): `trusted` (default) the manifest's,
   * `all` every query and mutation (the application tests run under it), `off` none.
   */
  compiledExecution: CompiledExecutionMode;
  /**
   * Prometheus metrics: on their own port (METRICS_PORT), and/or behind a bearer token (METRICS_TOKEN; on the
   * main port when no metrics port is set). Neither: no metrics endpoint and nothing is collected.
   */
  metrics: { port: number | null; token: string | null };
  /** OpenTelemetry tracing; null without OTEL_EXPORTER_OTLP_ENDPOINT (then nothing of OpenTelemetry is loaded). */
  tracing: { endpoint: string; serviceName: string; resolverRatio: number } | null;
  /** Log lines as JSON (production default) or plain text. */
  logFormat: 'json' | 'text';
}

/** A configuration value is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return false;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must use ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return raw;
}

function ratio(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || value > 1) throw new ConfigError(name, `must be a number from 0 to 1, got "${env[name]}"`);
  return value;
}

function duration(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const seconds = parseDuration(raw);
  if (seconds === null) throw new ConfigError(name, `must be a duration like 8h, 30m or 3600 (seconds), got "${raw}"`);
  if (seconds < min || seconds > max)
    throw new ConfigError(name, `must be between ${formatDuration(min)} and ${formatDuration(max)}, got ${formatDuration(seconds)}`);
  return seconds;
}

/** `idp-name=ROLE,…`: each name once, each target one of ROLES. */
function roleMap(env: Env, name: string): Map<string, Role> | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  const map = new Map<string, Role>();
  for (const entry of raw.split(',')) {
    const [from, to, ...rest] = entry.split('=').map((part) => part.trim());
    if (!from || !to || rest.length > 0) throw new ConfigError(name, `"${entry.trim()}" is not name=ROLE (entries are comma-separated)`);
    if (!(ROLES as readonly string[]).includes(to))
      throw new ConfigError(name, `"${from}" maps to ${to}, which is not one of ${ROLES.join(', ')}`);
    if (map.has(from)) throw new ConfigError(name, `"${from}" is mapped twice`);
    map.set(from, to as Role);
  }
  return map;
}

/**
 * Reads and validates configuration from environment variables. Each problem is reported with the
 * variable's name; nothing is silently defaulted from a bad value.
 */
export function loadConfig(env: Env = process.env): Config {
  const production = (env.NODE_ENV ?? 'development') === 'production';
  const nodeEnv = env.NODE_ENV;
  if (nodeEnv && !['production', 'development', 'test'].includes(nodeEnv)) {
    throw new ConfigError('NODE_ENV', `must be production, development or test, got "${nodeEnv}"`);
  }
  const port = integer(env, 'PORT', 4000, 0, 65535);
  const host = env.HOST?.trim() || '0.0.0.0';
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) throw new ConfigError('HOST', `is not a host name or address: "${host}"`);

  let database: DatabaseOptions;
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    try {
      parsePostgresUrl(databaseUrl);
    } catch (error) {
      throw new ConfigError('DATABASE_URL', (error as Error).message.replace(/^DATABASE_URL:? ?/, ''));
    }
    database = {
      kind: 'postgres',
      url: databaseUrl,
      poolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
      connectionTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 120_000),
    };
  } else {
    const dataDir = env.DANGJIAN_DATA_DIR?.trim() || './.data';
    database = { kind: 'embedded', dataDir: dataDir.startsWith('memory://') ? dataDir : resolve(dataDir) };
  }

  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const redisChannelPrefix = env.REDIS_CHANNEL_PREFIX?.trim() || 'dangjian:';
  if (!/^[A-Za-z0-9:._-]{1,100}$/.test(redisChannelPrefix)) {
    throw new ConfigError('REDIS_CHANNEL_PREFIX', `must be 1-100 letters, digits or : . _ -, got "${redisChannelPrefix}"`);
  }
  const pluginList = env.DANGJIAN_PLUGINS?.trim();
  let plugins: string[] | null = null;
  if (pluginList) {
    plugins = pluginList
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const bad = plugins.find((p) => !/^[a-z][a-z0-9-]*$/.test(p));
    if (bad) throw new ConfigError('DANGJIAN_PLUGINS', `"${bad}" is not a plugin id (kebab-case, comma-separated)`);
  }

  const jwtSecret = env.JWT_SECRET?.trim() || null;
  if (jwtSecret && jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  let jwtPublicKey = env.JWT_PUBLIC_KEY?.trim() || null;
  if (jwtPublicKey && !jwtPublicKey.startsWith('-----BEGIN')) {
    const file = resolve(jwtPublicKey);
    if (!existsSync(file)) throw new ConfigError('JWT_PUBLIC_KEY', 'must be a PEM public key or the path of a PEM file');
    jwtPublicKey = file;
  }
  const jwksUrl = url(env, 'JWKS_URL', ['https:', 'http:']);
  const algorithm = env.JWT_ALGORITHM?.trim() || 'RS256';
  if (!['RS256', 'PS256', 'ES256', 'EdDSA'].includes(algorithm))
    throw new ConfigError('JWT_ALGORITHM', `must be RS256, PS256, ES256 or EdDSA, got "${algorithm}"`);
  if (production && !jwtSecret && !jwtPublicKey && !jwksUrl) {
    throw new ConfigError('JWT_SECRET', 'production needs one of JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL');
  }
  // A working day by default; at most 30 days, so a typo cannot make a leaked token live for ever.
  const maxTokenLifetimeSeconds = duration(env, 'JWT_MAX_LIFETIME', 8 * 3600, 60, 30 * 86_400);

  const dataKeyText = env.DANGJIAN_DATA_KEYS?.trim() || null;
  const lookupKeyText = env.DANGJIAN_LOOKUP_KEY?.trim() || null;
  if (dataKeyText && !lookupKeyText)
    throw new ConfigError('DANGJIAN_LOOKUP_KEY', 'is required with DANGJIAN_DATA_KEYS (it keys the lookup hashes)');
  if (lookupKeyText && !dataKeyText) throw new ConfigError('DANGJIAN_DATA_KEYS', 'is required with DANGJIAN_LOOKUP_KEY');
  if (production && !dataKeyText) {
    throw new ConfigError(
      'DANGJIAN_DATA_KEYS',
      'production needs the keys that encrypt national IDs at rest (`dangjian keys generate` prints a pair)',
    );
  }
  let dataKeys: DataKeyring | null = null;
  if (dataKeyText && lookupKeyText) {
    let keys: DataKey[];
    try {
      keys = parseDataKeys(dataKeyText);
    } catch (error) {
      throw new ConfigError('DANGJIAN_DATA_KEYS', (error as Error).message);
    }
    let lookup: Buffer;
    try {
      lookup = parseLookupKey(lookupKeyText);
    } catch (error) {
      throw new ConfigError('DANGJIAN_LOOKUP_KEY', (error as Error).message);
    }
    dataKeys = { current: keys[0]!, retired: keys.slice(1), lookup };
  }

  // A manifest that cannot be found stops the start here; its contents are checked when the server loads it.
  let manifest = env.DANGJIAN_TRUSTED_DOCUMENTS?.trim() || null;
  if (manifest) {
    manifest = resolve(manifest);
    if (!existsSync(manifest)) throw new ConfigError('DANGJIAN_TRUSTED_DOCUMENTS', `no manifest at ${manifest}`);
  }
  const trustedOnly = boolean(env, 'DANGJIAN_TRUSTED_ONLY');
  if (trustedOnly && !manifest)
    throw new ConfigError('DANGJIAN_TRUSTED_ONLY', 'needs DANGJIAN_TRUSTED_DOCUMENTS (the manifest of the documents to allow)');
  const adhocRoles = (env.DANGJIAN_TRUSTED_ADHOC_ROLES ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknownRole = adhocRoles.find((r) => !(ROLES as readonly string[]).includes(r));
  if (unknownRole) throw new ConfigError('DANGJIAN_TRUSTED_ADHOC_ROLES', `"${unknownRole}" is not one of ${ROLES.join(', ')}`);
  const compiledExecution = (env.DANGJIAN_COMPILED_EXECUTION?.trim() || 'trusted') as CompiledExecutionMode;
  if (!['trusted', 'all', 'off'].includes(compiledExecution))
    throw new ConfigError('DANGJIAN_COMPILED_EXECUTION', `"${compiledExecution}" is not one of trusted, all, off`);
  const metricsPortText = env.METRICS_PORT?.trim();
  const metricsPort = metricsPortText ? integer(env, 'METRICS_PORT', 0, 0, 65535) : null;
  if (metricsPort !== null && metricsPort !== 0 && metricsPort === port)
    throw new ConfigError('METRICS_PORT', `must differ from PORT (${port}): metrics are not served on the API port without METRICS_TOKEN`);
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken && (metricsToken.length < 32 || /\s/.test(metricsToken)))
    throw new ConfigError('METRICS_TOKEN', 'must be at least 32 characters without spaces');
  const otlpEndpoint = url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || 'dangjian';
  const resolverRatio = ratio(env, 'DANGJIAN_TRACE_RESOLVER_RATIO', 0.1);
  const logFormat = env.LOG_FORMAT?.trim().toLowerCase() || (production ? 'json' : 'text');
  if (logFormat !== 'json' && logFormat !== 'text') throw new ConfigError('LOG_FORMAT', `must be json or text, got "${env.LOG_FORMAT}"`);

  return {
    port,
    host,
    dataKeys,
    database,
    redisUrl,
    redisChannelPrefix,
    plugins,
    auth: {
      jwtSecret,
      jwtPublicKey,
      jwksUrl,
      publicKeyAlgorithm: algorithm as Config['auth']['publicKeyAlgorithm'],
      maxTokenLifetimeSeconds,
      roleMap: roleMap(env, 'DANGJIAN_ROLE_MAP'),
    },
    production,
    trustProxy: boolean(env, 'DANGJIAN_TRUST_PROXY'),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    // Off under NODE_ENV=test, as reminders are: an ANALYZE between two statements of a test changes what it measures.
    autoAnalyzeIntervalMs: integer(env, 'DANGJIAN_AUTOANALYZE_INTERVAL_MS', nodeEnv === 'test' ? 0 : 60_000, 0, 86_400_000),
    limits: {
      maxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', 15, 1, 100),
      maxAliases: integer(env, 'GRAPHQL_MAX_ALIASES', 15, 0, 1000),
      maxDirectives: integer(env, 'GRAPHQL_MAX_DIRECTIVES', 50, 0, 1000),
      maxTokens: integer(env, 'GRAPHQL_MAX_TOKENS', 2000, 10, 100_000),
      maxCost: integer(env, 'GRAPHQL_MAX_COST', 100_000, 1, 100_000_000),
      maxBodyBytes: integer(env, 'HTTP_MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
      maxSubscriptionsPerSocket: integer(env, 'WS_MAX_SUBSCRIPTIONS', 20, 1, 1000),
      ratePerUserPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 3000, 1, 10_000_000),
      ratePerFieldPerMinute: integer(env, 'RATE_LIMIT_PER_FIELD_PER_MINUTE', 1200, 1, 10_000_000),
    },
    introspectionRoles: (env.DANGJIAN_INTROSPECTION_ROLES ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    trustedDocuments: { manifest, only: trustedOnly, adhocRoles: adhocRoles as Role[] },
    compiledExecution,
    metrics: { port: metricsPort, token: metricsToken },
    tracing: otlpEndpoint ? { endpoint: otlpEndpoint, serviceName, resolverRatio } : null,
    logFormat,
  };
}

/** Loads `.env` from the working directory into `process.env` (existing variables win). */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = resolve(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
