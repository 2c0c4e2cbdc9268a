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
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5433/x?schema=s', poolSize: 20, connectionTimeoutMs: 5000 });
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
    [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }, 'DANGJIAN_DATA_KEYS: production needs the keys that encrypt national IDs at rest'],
    [{ DANGJIAN_DATA_KEYS: `k1:${'00'.repeat(32)}` }, 'DANGJIAN_LOOKUP_KEY: is required with DANGJIAN_DATA_KEYS'],
    [{ DANGJIAN_DATA_KEYS: 'k1:short', DANGJIAN_LOOKUP_KEY: '00'.repeat(32) }, 'DANGJIAN_DATA_KEYS: key "k1" must be 32 bytes'],
    [{ DANGJIAN_DATA_KEYS: `k1:${'00'.repeat(32)}`, DANGJIAN_LOOKUP_KEY: 'abc' }, 'DANGJIAN_LOOKUP_KEY: the lookup key must be 32 bytes'],
    [{ DANGJIAN_TRUST_PROXY: 'maybe' }, 'DANGJIAN_TRUST_PROXY: must be true or false'],
  ])('names the bad variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('selects plugins from DANGJIAN_PLUGINS, all installed by default, and names unknown ones', () => {
    const make = (id: string) => definePlugin({ id, version: '1.0.0', description: id, requires: {}, events: [], register: () => {} });
    const installed = [make('party-brand'), make('discipline')];
    expect(selectPlugins(installed, null).map((p) => p.id)).toEqual(['party-brand', 'discipline']);
    expect(selectPlugins(installed, ['discipline']).map((p) => p.id)).toEqual(['discipline']);
    expect(() => selectPlugins(installed, ['discipline', 'nope'])).toThrow('DANGJIAN_PLUGINS: nope is not installed (installed: party-brand, discipline)');
  });
});
