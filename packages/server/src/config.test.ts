import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { definePlugin } from '@dangjian/core';
import { ConfigError, loadConfig } from './config.ts';
import { selectPlugins } from './plugins/discover.ts';

describe('configuration', () => {
  it('defaults to the embedded database on port 4000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, host: '0.0.0.0', redisUrl: null, plugins: null, production: false });
    expect(config.database).toMatchObject({ kind: 'embedded', dataDir: expect.stringMatching(/\.data$/) });
  });

  it('configures PostgreSQL with an explicit pool size and connect timeout', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5433/x?schema=s', DATABASE_POOL_SIZE: '20' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5433/x?schema=s',
      poolSize: 20,
      connectionTimeoutMs: 5000,
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number, got "abc"'],
    [{ PORT: '70000' }, 'PORT: must be between 0 and 65535, got 70000'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL: must start with postgres:// or postgresql:// (got mysql://)'],
    [{ DATABASE_URL: 'postgres://host' }, 'DATABASE_URL: names no database'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL: must use redis:// or rediss://'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET: must be at least 32 characters'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET: production needs one of JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV: must be production, development or test'],
    [{ DANGJIAN_PLUGINS: 'party-brand,Bad Id' }, 'DANGJIAN_PLUGINS: "Bad Id" is not a plugin id'],
    [
      { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) },
      'DANGJIAN_DATA_KEYS: production needs the keys that encrypt national IDs at rest',
    ],
    [{ DANGJIAN_DATA_KEYS: `k1:${'00'.repeat(32)}` }, 'DANGJIAN_LOOKUP_KEY: is required with DANGJIAN_DATA_KEYS'],
    [{ DANGJIAN_DATA_KEYS: 'k1:short', DANGJIAN_LOOKUP_KEY: '00'.repeat(32) }, 'DANGJIAN_DATA_KEYS: key "k1" must be 32 bytes'],
    [{ DANGJIAN_DATA_KEYS: `k1:${'00'.repeat(32)}`, DANGJIAN_LOOKUP_KEY: 'abc' }, 'DANGJIAN_LOOKUP_KEY: the lookup key must be 32 bytes'],
    [{ DANGJIAN_TRUST_PROXY: 'maybe' }, 'DANGJIAN_TRUST_PROXY: must be true or false'],
    [{ JWT_MAX_LIFETIME: 'a day' }, 'JWT_MAX_LIFETIME: must be a duration like 8h, 30m or 3600 (seconds), got "a day"'],
    [{ JWT_MAX_LIFETIME: '-1h' }, 'JWT_MAX_LIFETIME: must be a duration like 8h, 30m or 3600 (seconds), got "-1h"'],
    [{ JWT_MAX_LIFETIME: '0' }, 'JWT_MAX_LIFETIME: must be between 1m and 30d, got 0s'],
    [{ JWT_MAX_LIFETIME: '31d' }, 'JWT_MAX_LIFETIME: must be between 1m and 30d, got 31d'],
    [{ DANGJIAN_ROLE_MAP: 'dj-admin' }, 'DANGJIAN_ROLE_MAP: "dj-admin" is not name=ROLE (entries are comma-separated)'],
    [{ DANGJIAN_ROLE_MAP: 'dj-admin=ADMIN,,dj-member=MEMBER' }, 'DANGJIAN_ROLE_MAP: "" is not name=ROLE'],
    [{ DANGJIAN_ROLE_MAP: 'dj-admin=ADMIN=MEMBER' }, 'DANGJIAN_ROLE_MAP: "dj-admin=ADMIN=MEMBER" is not name=ROLE'],
    [
      { DANGJIAN_ROLE_MAP: 'dj-admin=admin' },
      'DANGJIAN_ROLE_MAP: "dj-admin" maps to admin, which is not one of ADMIN, SECRETARY, DISCIPLINE, AUDITOR, MEMBER, COMMUNITY_ADMIN',
    ],
    [{ DANGJIAN_ROLE_MAP: 'dj-root=SUPERADMIN' }, 'DANGJIAN_ROLE_MAP: "dj-root" maps to SUPERADMIN, which is not one of'],
    [{ DANGJIAN_ROLE_MAP: 'dj-admin=ADMIN,dj-admin=MEMBER' }, 'DANGJIAN_ROLE_MAP: "dj-admin" is mapped twice'],
    [
      { DANGJIAN_TRUSTED_DOCUMENTS: '/nonexistent/persisted-documents.json' },
      'DANGJIAN_TRUSTED_DOCUMENTS: no manifest at /nonexistent/persisted-documents.json',
    ],
    [{ DANGJIAN_TRUSTED_ONLY: 'true' }, 'DANGJIAN_TRUSTED_ONLY: needs DANGJIAN_TRUSTED_DOCUMENTS'],
    [{ DANGJIAN_TRUSTED_ONLY: 'sometimes' }, 'DANGJIAN_TRUSTED_ONLY: must be true or false, got "sometimes"'],
    [{ DANGJIAN_TRUSTED_ADHOC_ROLES: 'ADMIN,graphiql' }, 'DANGJIAN_TRUSTED_ADHOC_ROLES: "graphiql" is not one of ADMIN, SECRETARY'],
    [{ METRICS_PORT: 'x' }, 'METRICS_PORT: must be a whole number, got "x"'],
    [{ METRICS_PORT: '4000' }, 'METRICS_PORT: must differ from PORT (4000)'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN: must be at least 32 characters without spaces'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT: must use http:// or https://'],
    [{ DANGJIAN_TRACE_RESOLVER_RATIO: '2' }, 'DANGJIAN_TRACE_RESOLVER_RATIO: must be a number from 0 to 1, got "2"'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT: must be json or text, got "xml"'],
  ])('names the bad variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the token policy: JWT_MAX_LIFETIME (8h by default) and DANGJIAN_ROLE_MAP (none by default)', () => {
    expect(loadConfig({}).auth).toMatchObject({ maxTokenLifetimeSeconds: 8 * 3600, roleMap: null });
    const lifetime = (text: string) => loadConfig({ JWT_MAX_LIFETIME: text }).auth.maxTokenLifetimeSeconds;
    expect([lifetime('30m'), lifetime('3600'), lifetime('1.5h'), lifetime('2 hours'), lifetime('1d'), lifetime(' ')]).toEqual([
      1800,
      3600,
      5400,
      7200,
      86_400,
      8 * 3600,
    ]);
    const map = loadConfig({ DANGJIAN_ROLE_MAP: ' dj-admin = ADMIN , dj-secretary=SECRETARY,party-admin=ADMIN ' }).auth.roleMap;
    expect(map && Object.fromEntries(map)).toEqual({ 'dj-admin': 'ADMIN', 'dj-secretary': 'SECRETARY', 'party-admin': 'ADMIN' });
  });

  it('reads trusted documents: no manifest and ad-hoc documents for everyone by default; TRUSTED_ONLY in production too', () => {
    expect(loadConfig({}).trustedDocuments).toEqual({ manifest: null, only: false, adhocRoles: [] });
    const manifest = fileURLToPath(import.meta.url); // any existing file: the contents are checked when the server loads it
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      DANGJIAN_DATA_KEYS: `k1:${'00'.repeat(32)}`,
      DANGJIAN_LOOKUP_KEY: '11'.repeat(32),
    };
    for (const env of [{}, production]) {
      const config = loadConfig({
        ...env,
        DANGJIAN_TRUSTED_DOCUMENTS: manifest,
        DANGJIAN_TRUSTED_ONLY: 'true',
        DANGJIAN_TRUSTED_ADHOC_ROLES: ' ADMIN , AUDITOR ',
      });
      expect(config.trustedDocuments).toEqual({ manifest, only: true, adhocRoles: ['ADMIN', 'AUDITOR'] });
    }
  });

  it('serves no metrics and loads no tracing by default; reads METRICS_*, OTEL_* and LOG_FORMAT', () => {
    expect(loadConfig({})).toMatchObject({ metrics: { port: null, token: null }, tracing: null, logFormat: 'text' });
    const token = 'm'.repeat(32);
    const config = loadConfig({
      METRICS_PORT: '9464',
      METRICS_TOKEN: token,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      DANGJIAN_TRACE_RESOLVER_RATIO: '0.25',
      LOG_FORMAT: 'JSON',
    });
    expect(config).toMatchObject({
      metrics: { port: 9464, token },
      tracing: { endpoint: 'http://collector:4318', serviceName: 'dangjian', resolverRatio: 0.25 },
      logFormat: 'json',
    });
    expect(
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(32),
        DANGJIAN_DATA_KEYS: `k1:${'00'.repeat(32)}`,
        DANGJIAN_LOOKUP_KEY: '00'.repeat(32),
      }).logFormat,
    ).toBe('json');
  });

  it('selects plugins from DANGJIAN_PLUGINS, all installed by default, and names unknown ones', () => {
    const make = (id: string) => definePlugin({ id, version: '1.0.0', description: id, requires: {}, events: [], register: () => {} });
    const installed = [make('party-brand'), make('discipline')];
    expect(selectPlugins(installed, null).map((p) => p.id)).toEqual(['party-brand', 'discipline']);
    expect(selectPlugins(installed, ['discipline']).map((p) => p.id)).toEqual(['discipline']);
    expect(() => selectPlugins(installed, ['discipline', 'nope'])).toThrow(
      'DANGJIAN_PLUGINS: nope is not installed (installed: party-brand, discipline)',
    );
  });
});
