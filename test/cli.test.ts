import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { dropPostgresSchema } from '@dangjian/db';
import { baseEnv, cliDatabaseEnv, runCli, spawnCli, startCli } from '@dangjian/testing';

const SECRET = 'cli-test-secret-0123456789abcdefghijkl';

describe('dangjian CLI', () => {
  let env: Record<string, string>;
  beforeAll(() => {
    env = baseEnv({ ...cliDatabaseEnv(), JWT_SECRET: SECRET });
  });
  afterAll(async () => {
    if (env.DATABASE_URL) await dropPostgresSchema({ kind: 'postgres', url: env.DATABASE_URL });
  });

  it('migrate deploy applies every migration once, then is a no-op; status says up to date', async () => {
    // The executable itself, as a process: its exit code and streams (the other commands run in-process).
    const before = await spawnCli(['migrate', 'status'], env);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/pending\s+\d{14}_init/);

    const first = await spawnCli(['migrate', 'deploy'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migration\(s\): \d{14}_init/);

    const second = await runCli(['migrate', 'deploy'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('no pending migrations');

    const status = await runCli(['migrate', 'status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/applied\s+\d{14}_init/);
    expect(status.stdout).toContain('database is up to date');
  });

  it('migrate dev insists on a migration name', async () => {
    const result = await runCli(['migrate', 'dev'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--name');
  });

  it('seeds the demo data once, prints a working token, and serves HTTP and graphql-ws until SIGTERM', async () => {
    const seeded = await runCli(['seed'], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/seeded \d+ organizations, \d+ members/);
    expect((await runCli(['seed'], env)).stdout).toContain('not seeding');

    const token = await runCli(['token', '--org', 'SZJGGW', '--role', 'ADMIN'], env);
    expect(token.code).toBe(0);
    const jwt = token.stdout.trim();
    expect(jwt.split('.')).toHaveLength(3);

    const server = startCli(['serve'], { ...env, PORT: '0', HOST: '127.0.0.1' });
    const url = await server.ready;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
      body: JSON.stringify({ query: '{ __typename organizations(filter: { search: "民政" }) { totalCount } }' }),
    });
    const body = (await res.json()) as { data: { organizations: { totalCount: number } } };
    expect(body.data.organizations.totalCount).toBeGreaterThan(1);

    const client = createClient({ url: url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
    const typename = await new Promise((resolve, reject) => {
      client.subscribe({ query: '{ __typename }' }, { next: (v) => resolve(v.data?.__typename), error: reject, complete: () => {} });
    });
    expect(typename).toBe('Query');
    await client.dispose();

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('stopped');
  });

  it('seeds synthetic scale data on a fresh database', async () => {
    const fresh = baseEnv({ ...cliDatabaseEnv(), JWT_SECRET: SECRET });
    try {
      expect((await runCli(['migrate', 'deploy'], fresh)).code).toBe(0);
      const result = await runCli(['seed', '--scale', '--organizations', '300', '--members', '3000'], fresh);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/seeded 300 organizations, 3000 members/);
      const bad = await runCli(['seed', '--scale', '--organizations', 'many'], fresh);
      expect(bad.stderr).toContain('--organizations: must be a positive whole number, got "many"');
    } finally {
      if (fresh.DATABASE_URL) await dropPostgresSchema({ kind: 'postgres', url: fresh.DATABASE_URL });
    }
  });

  it('refuses to print a token in production', async () => {
    const result = await runCli(['token', '--org', 'SZJGGW', '--role', 'ADMIN'], { ...env, NODE_ENV: 'production' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/production/);
  });

  it('names the bad variable: PORT=abc, an unknown role, a non-postgres DATABASE_URL', async () => {
    const port = await runCli(['serve'], { ...env, PORT: 'abc' });
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('PORT: must be a whole number, got "abc"');

    const role = await runCli(['token', '--org', 'SZJGGW', '--role', 'KING'], env);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--role KING');

    const url = await runCli(['migrate', 'status'], { ...env, DATABASE_URL: 'mysql://root@localhost/db' });
    expect(url.code).toBe(1);
    expect(url.stderr).toMatch(/DATABASE_URL: .*postgres/);
  });

  it('refuses to print a token the server would refuse: --expires beyond JWT_MAX_LIFETIME, a role the role map does not name', async () => {
    const long = await runCli(['token', '--org', 'SZJGGW', '--role', 'ADMIN', '--expires', '24h'], env);
    expect(long.code).toBe(2);
    expect(long.stdout).toBe('');
    expect(long.stderr).toContain('--expires 24h is beyond JWT_MAX_LIFETIME (8h): the server would refuse the token');
    const shorter = await runCli(['token', '--org', 'SZJGGW', '--role', 'ADMIN', '--expires', '9h'], { ...env, JWT_MAX_LIFETIME: '10h' });
    expect(shorter.stderr).toBe('');
    const payload = JSON.parse(Buffer.from(shorter.stdout.trim().split('.')[1]!, 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(9 * 3600);
    const garbled = await runCli(['token', '--org', 'SZJGGW', '--role', 'ADMIN', '--expires', 'soon'], env);
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain('--expires must be a duration like 8h, 30m or 3600 (seconds), got "soon"');
    const unmapped = await runCli(['token', '--org', 'SZJGGW', '--role', 'ADMIN'], { ...env, DANGJIAN_ROLE_MAP: 'dj-admin=ADMIN' });
    expect(unmapped.code).toBe(2);
    expect(unmapped.stderr).toContain('--role ADMIN is not one of dj-admin (the names DANGJIAN_ROLE_MAP maps)');
  });

  it('fails fast with the connection error when PostgreSQL is unreachable', async () => {
    const started = Date.now();
    const result = await runCli(['migrate', 'deploy'], {
      ...env,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ECONNREFUSED|reach database server/i);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
