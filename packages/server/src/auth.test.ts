import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '@dangjian/db';
import { createAuthenticator, signToken } from './auth.ts';
import { generateKeyText } from '@dangjian/db';
import { loadConfig } from './config.ts';

const generated = generateKeyText('t');
const KEYS = { DANGJIAN_DATA_KEYS: generated.dataKeys, DANGJIAN_LOOKUP_KEY: generated.lookupKey };

/** Just enough of a Prisma client for the authenticator's organization lookup. */
const db = {
  organization: { findUnique: async ({ where }: { where: { id: string } }) => (where.id === 'org-1' ? { path: '/root/org-1/' } : null) },
} as unknown as PrismaClient;

const SECRET = 'unit-test-secret-0123456789abcdefghijkl';

describe('authentication', () => {
  it('verifies an HS256 token and resolves the organization path', async () => {
    const config = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test' });
    const auth = await createAuthenticator(config, db);
    const token = await signToken(config, { sub: 'u1', org: 'org-1', roles: ['ADMIN', 'AUDITOR'] });
    expect(await auth(`Bearer ${token}`)).toEqual({
      userId: 'u1',
      organizationId: 'org-1',
      organizationPath: '/root/org-1/',
      roles: ['ADMIN', 'AUDITOR'],
      communityId: null,
      expiresAt: expect.any(Number),
      issuedAt: expect.any(Number),
    });
    expect(await auth(null)).toBeNull();
  });

  it('refuses a revoked session even when the token was verified (and cached) before', async () => {
    const config = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test' });
    let revokedBefore = 0;
    const auth = await createAuthenticator(config, db, {
      isRevoked: (userId, issuedAt) => userId === 'u1' && (issuedAt ?? 0) <= revokedBefore,
    });
    const token = await signToken(config, { sub: 'u1', org: 'org-1', roles: ['ADMIN'] });
    expect((await auth(`Bearer ${token}`))?.userId).toBe('u1');
    revokedBefore = Date.now();
    await expect(auth(`Bearer ${token}`)).rejects.toThrow('revoked');
  });

  it('rejects a token for a missing organization, a wrong secret, and a malformed header', async () => {
    const config = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test' });
    const auth = await createAuthenticator(config, db);
    const other = loadConfig({ JWT_SECRET: `${SECRET}-other`, NODE_ENV: 'test' });
    await expect(auth(`Bearer ${await signToken(config, { sub: 'u', org: 'gone', roles: ['MEMBER'] })}`)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await expect(auth(`Bearer ${await signToken(other, { sub: 'u', org: 'org-1', roles: ['MEMBER'] })}`)).rejects.toThrow(
      'invalid or expired token',
    );
    await expect(auth('Basic abc')).rejects.toThrow('Bearer');
  });

  it('verifies RS256 tokens with a PEM public key (production setting), given inline or as a file', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const pem = await exportSPKI(publicKey);
    const file = join(mkdtempSync(join(tmpdir(), 'dangjian-key-')), 'public.pem');
    writeFileSync(file, pem);
    const jwt = await new SignJWT({ org: 'org-1', roles: ['SECRETARY'] })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('idp-user')
      .setIssuer('dangjian')
      .setAudience('dangjian-api')
      .setExpirationTime('5m')
      .sign(privateKey);
    for (const key of [pem, file]) {
      const config = loadConfig({ JWT_PUBLIC_KEY: key, NODE_ENV: 'production', ...KEYS });
      const auth = await createAuthenticator(config, db);
      expect((await auth(`Bearer ${jwt}`))?.roles).toEqual(['SECRETARY']);
    }
    // An HS256 token forged with the public key as a secret must not pass (algorithm confusion).
    const forged = await new SignJWT({ org: 'org-1', roles: ['ADMIN'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('dangjian')
      .setAudience('dangjian-api')
      .sign(new TextEncoder().encode(pem));
    const auth = await createAuthenticator(loadConfig({ JWT_PUBLIC_KEY: pem, NODE_ENV: 'production', ...KEYS }), db);
    await expect(auth(`Bearer ${forged}`)).rejects.toThrow('invalid or expired token');
  });

  it('refuses to sign tokens in production', async () => {
    await expect(
      signToken(loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'production', ...KEYS }), { sub: 'u', org: 'o', roles: ['MEMBER'] }),
    ).rejects.toThrow(/production/);
  });
});

describe('token policy', () => {
  const HOUR = 3600;
  const now = () => Math.floor(Date.now() / 1000);

  /** Signs with the test secret exactly the claims given: no iat or exp unless asked for, any roles. */
  const sign = (claims: { roles?: unknown; iat?: number; exp?: number; sub?: string }) => {
    const jwt = new SignJWT({ org: 'org-1', roles: claims.roles ?? ['MEMBER'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub ?? 'u1')
      .setIssuer('dangjian')
      .setAudience('dangjian-api');
    if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
    if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
    return jwt.sign(new TextEncoder().encode(SECRET));
  };

  /** An authenticator whose log lines are collected. */
  const setup = async (env: Record<string, string> = {}) => {
    const lines: string[] = [];
    const auth = await createAuthenticator(loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test', ...env }), db, {
      log: (line) => lines.push(line),
    });
    return { auth, lines };
  };

  it.each([[['SUPERADMIN']], [['admin']], [[]], [['ADMIN', 'GOD']], [['ADMIN', 7]]])(
    'refuses roles %j with UNAUTHENTICATED and logs the user and the names',
    async (roles) => {
      const { auth, lines } = await setup();
      const token = await sign({ roles, sub: 'idp-user-9', iat: now(), exp: now() + HOUR });
      await expect(auth(`Bearer ${token}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('"idp-user-9"');
      if (roles.length === 0) expect(lines[0]).toContain('roles claim is empty');
      else expect(lines[0]).toContain(`unknown role(s) ${JSON.stringify(roles.at(-1))}`);
    },
  );

  it('does not cache a refused token: it is refused (and logged) every time', async () => {
    const { auth, lines } = await setup();
    const token = await sign({ roles: ['ADMIN', 'GOD'], iat: now(), exp: now() + HOUR });
    await expect(auth(`Bearer ${token}`)).rejects.toThrow('does not know');
    await expect(auth(`Bearer ${token}`)).rejects.toThrow('does not know');
    expect(lines).toHaveLength(2);
  });

  it('maps the identity provider’s role names through DANGJIAN_ROLE_MAP and refuses names it does not hold', async () => {
    const { auth, lines } = await setup({ DANGJIAN_ROLE_MAP: 'dj-admin=ADMIN,dj-secretary=SECRETARY,dj-root=ADMIN' });
    const mapped = await auth(`Bearer ${await sign({ roles: ['dj-admin', 'dj-secretary', 'dj-root'], iat: now(), exp: now() + HOUR })}`);
    expect(mapped?.roles).toEqual(['ADMIN', 'SECRETARY']);
    // With a map, the API's own names are just names the map does not hold.
    for (const roles of [['ADMIN'], ['dj-admin', 'dj-auditor']]) {
      await expect(auth(`Bearer ${await sign({ roles, iat: now(), exp: now() + HOUR })}`)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    expect(lines).toEqual([
      expect.stringContaining('unknown role(s) "ADMIN" (DANGJIAN_ROLE_MAP names dj-admin, dj-secretary, dj-root)'),
      expect.stringContaining('unknown role(s) "dj-auditor"'),
    ]);
  });

  it('refuses a token without exp', async () => {
    const { auth, lines } = await setup();
    await expect(auth(`Bearer ${await sign({ iat: now() })}`)).rejects.toMatchObject({
      message: 'the token has no expiry (exp)',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(lines).toEqual([expect.stringContaining('no exp claim')]);
  });

  it('refuses a lifetime (exp − iat, else exp − now) over JWT_MAX_LIFETIME, 8h by default', async () => {
    const { auth, lines } = await setup();
    const t = now();
    expect((await auth(`Bearer ${await sign({ iat: t, exp: t + 8 * HOUR })}`))?.userId).toBe('u1');
    expect((await auth(`Bearer ${await sign({ exp: t + 7 * HOUR })}`))?.userId).toBe('u1');
    // Issued two hours ago for nine: only seven are left, but the lifetime is what counts.
    await expect(auth(`Bearer ${await sign({ iat: t - 2 * HOUR, exp: t + 7 * HOUR })}`)).rejects.toThrow('lives longer');
    await expect(auth(`Bearer ${await sign({ exp: t + 9 * HOUR })}`)).rejects.toThrow('lives longer');
    // An iat in the future would let a short "lifetime" run for months.
    await expect(auth(`Bearer ${await sign({ iat: t + 30 * 24 * HOUR, exp: t + 30 * 24 * HOUR + HOUR })}`)).rejects.toThrow('lives longer');
    expect(lines).toEqual([
      expect.stringContaining('lifetime 9h (exp − iat), over JWT_MAX_LIFETIME 8h'),
      expect.stringMatching(/expires in (9h|8h59m\d+s) \(no iat\), over JWT_MAX_LIFETIME 8h$/),
      expect.stringContaining('(iat lies in the future)'),
    ]);
    const short = await setup({ JWT_MAX_LIFETIME: '30m' });
    await expect(short.auth(`Bearer ${await sign({ iat: t, exp: t + HOUR })}`)).rejects.toThrow('lives longer');
    expect((await short.auth(`Bearer ${await sign({ iat: t, exp: t + 1800 })}`))?.userId).toBe('u1');
  });

  it('signToken makes only tokens the server accepts: known roles, at most JWT_MAX_LIFETIME (also the default)', async () => {
    const config = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test', JWT_MAX_LIFETIME: '2h' });
    const claims = { sub: 'u1', org: 'org-1', roles: ['MEMBER'] };
    const payload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    const byDefault = payload(await signToken(config, claims));
    expect(byDefault.exp - byDefault.iat).toBe(2 * HOUR);
    const halfHour = payload(await signToken(config, claims, '30m'));
    expect(halfHour.exp - halfHour.iat).toBe(1800);
    await expect(signToken(config, claims, '3h')).rejects.toThrow('expiresIn 3h is beyond JWT_MAX_LIFETIME (2h)');
    await expect(signToken(config, claims, 'soon')).rejects.toThrow('expiresIn must be a duration');
    await expect(signToken(config, { ...claims, roles: ['GOD'] })).rejects.toThrow(
      'refusing to sign a token the server would refuse: unknown role(s) "GOD"',
    );
    await expect(signToken(config, { ...claims, roles: [] })).rejects.toThrow('the roles claim is empty');
    const mapped = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test', DANGJIAN_ROLE_MAP: 'dj-member=MEMBER' });
    await expect(signToken(mapped, claims)).rejects.toThrow('unknown role(s) "MEMBER" (DANGJIAN_ROLE_MAP names dj-member)');
    const auth = await createAuthenticator(mapped, db, { log: () => {} });
    expect((await auth(`Bearer ${await signToken(mapped, { ...claims, roles: ['dj-member'] })}`))?.roles).toEqual(['MEMBER']);
  });
});
