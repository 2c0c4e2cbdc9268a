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
    const token = await signToken(config, { sub: 'u1', org: 'org-1', roles: ['ADMIN', 'NOT_A_ROLE' as never] });
    expect(await auth(`Bearer ${token}`)).toEqual({ userId: 'u1', organizationId: 'org-1', organizationPath: '/root/org-1/', roles: ['ADMIN'], communityId: null, expiresAt: expect.any(Number), issuedAt: expect.any(Number) });
    expect(await auth(null)).toBeNull();
  });

  it('refuses a revoked session even when the token was verified (and cached) before', async () => {
    const config = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test' });
    let revokedBefore = 0;
    const auth = await createAuthenticator(config, db, (userId, issuedAt) => userId === 'u1' && (issuedAt ?? 0) <= revokedBefore);
    const token = await signToken(config, { sub: 'u1', org: 'org-1', roles: ['ADMIN'] });
    expect((await auth(`Bearer ${token}`))?.userId).toBe('u1');
    revokedBefore = Date.now();
    await expect(auth(`Bearer ${token}`)).rejects.toThrow('revoked');
  });

  it('rejects a token for a missing organization, a wrong secret, and a malformed header', async () => {
    const config = loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test' });
    const auth = await createAuthenticator(config, db);
    const other = loadConfig({ JWT_SECRET: `${SECRET}-other`, NODE_ENV: 'test' });
    await expect(auth(`Bearer ${await signToken(config, { sub: 'u', org: 'gone', roles: [] })}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(auth(`Bearer ${await signToken(other, { sub: 'u', org: 'org-1', roles: [] })}`)).rejects.toThrow('invalid or expired token');
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
    await expect(signToken(loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'production', ...KEYS }), { sub: 'u', org: 'o', roles: [] })).rejects.toThrow(/production/);
  });
});
