import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { SignJWT, createRemoteJWKSet, importSPKI, jwtVerify } from 'jose';
import type { PrismaClient } from '@dangjian/db';
import { ROLES, UnauthenticatedError, type Role, type Viewer } from '@dangjian/core';
import type { Config } from './config.ts';
import { ExpiringCache } from './auth-cache.ts';

const ISSUER = 'dangjian';
const AUDIENCE = 'dangjian-api';

/** Claims this API reads from a bearer token. */
export interface TokenClaims {
  /** User id. */
  sub: string;
  /** Id of the organization the user acts for. */
  org: string;
  roles: Role[];
  /** For a community administrator: the community they act for. */
  community?: string;
}

/**
 * In development without JWT_SECRET, a random secret is created once and kept beside the data, so
 * `dangjian token` and the server agree without a well-known secret that anyone could sign with.
 */
export function developmentSecret(config: Config): string {
  const dir = config.database.kind === 'embedded' && !config.database.dataDir.startsWith('memory://') ? config.database.dataDir : join(process.cwd(), '.data');
  const file = join(dir, 'dev-jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The HS256 secret in force, or null when tokens are verified with a public key or JWKS. */
export function signingSecret(config: Config): string | null {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  if (config.auth.jwtPublicKey || config.auth.jwksUrl) return null;
  return config.production ? null : developmentSecret(config);
}

/** Signs a token (development tool and tests); refuses in production. */
export async function signToken(config: Config, claims: TokenClaims, expiresIn = '8h'): Promise<string> {
  if (config.production) throw new Error('refusing to sign tokens in production (NODE_ENV=production)');
  const secret = signingSecret(config);
  if (!secret) throw new Error('no JWT_SECRET to sign with: tokens are verified with a public key or JWKS here');
  return new SignJWT({ org: claims.org, roles: claims.roles, ...(claims.community ? { community: claims.community } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

type Verifier = (token: string) => Promise<JWTPayload>;

async function makeVerifier(config: Config): Promise<Verifier> {
  const options = { issuer: ISSUER, audience: AUDIENCE, clockTolerance: 30 };
  if (config.auth.jwksUrl) {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.auth.jwksUrl));
    return async (token) => (await jwtVerify(token, jwks, options)).payload;
  }
  if (config.auth.jwtPublicKey) {
    const pem = config.auth.jwtPublicKey.startsWith('-----BEGIN') ? config.auth.jwtPublicKey : readFileSync(config.auth.jwtPublicKey, 'utf8');
    const alg = config.auth.publicKeyAlgorithm;
    const key = await importSPKI(pem, alg);
    return async (token) => (await jwtVerify(token, key, { ...options, algorithms: [alg] })).payload;
  }
  const secret = signingSecret(config);
  if (!secret) throw new Error('no way to verify tokens: set JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL');
  const key = new TextEncoder().encode(secret);
  return async (token) => (await jwtVerify(token, key, { ...options, algorithms: ['HS256'] })).payload;
}

/** Turns an Authorization header value into a Viewer; null when absent, an error when invalid. */
export type Authenticate = (authorization: string | null | undefined) => Promise<Viewer | null>;

/** Builds the request authenticator: verifies the token, then resolves the organization's path. */
export async function createAuthenticator(
  config: Config,
  db: PrismaClient,
  isRevoked?: (userId: string, issuedAt: number | null) => boolean,
): Promise<Authenticate> {
  const verify = await makeVerifier(config);
  // A client sends the same token with every request: checking its signature once (until it expires, at
  // most 5 minutes) saves the HMAC/RSA work on every request after the first. Revocation is checked each time.
  const verified = new ExpiringCache<string, JWTPayload>(10_000);
  // The organization's path scopes everything the viewer sees. A stale path cannot widen access: a moved
  // subtree takes new paths, so an old prefix matches nothing; it is re-read at least every 30 s.
  const paths = new ExpiringCache<string, string>(10_000);
  return async (authorization) => {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"');
    const token = match[1]!;
    let payload = verified.get(token);
    if (!payload) {
      try {
        payload = await verify(token);
      } catch {
        throw new UnauthenticatedError('invalid or expired token');
      }
      verified.set(token, payload, Math.min(payload.exp ? payload.exp * 1000 : Infinity, Date.now() + 5 * 60_000));
    }
    const org = payload.org;
    const roles = payload.roles;
    if (typeof payload.sub !== 'string' || typeof org !== 'string' || !Array.isArray(roles)) {
      throw new UnauthenticatedError('token lacks sub, org or roles');
    }
    const known = roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r as string));
    let path = paths.get(org);
    if (path === undefined) {
      const organization = await db.organization.findUnique({ where: { id: org }, select: { path: true } });
      if (!organization) throw new UnauthenticatedError('the token’s organization no longer exists');
      path = organization.path;
      paths.set(org, path, Date.now() + 30_000);
    }
    const community = typeof payload.community === 'string' ? payload.community : null;
    const issuedAt = payload.iat ? payload.iat * 1000 : null;
    if (isRevoked?.(payload.sub, issuedAt)) throw new UnauthenticatedError('this session was revoked: sign in again');
    return {
      userId: payload.sub,
      organizationId: org,
      organizationPath: path,
      roles: known,
      communityId: community,
      expiresAt: payload.exp ? payload.exp * 1000 : null,
      issuedAt,
    };
  };
}
