import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { SignJWT, createRemoteJWKSet, importSPKI, jwtVerify } from 'jose';
import type { PrismaClient } from '@dangjian/db';
import type { Role, Viewer } from '@dangjian/core/auth';
import { UnauthenticatedError } from '@dangjian/core/errors';
import type { Config } from './config.ts';
import { ExpiringCache } from './auth-cache.ts';
import { formatDuration, parseDuration } from './duration.ts';
import { checkLifetime, rolesOf, TokenPolicyError } from './token-policy.ts';

const ISSUER = 'dangjian';
const AUDIENCE = 'dangjian-api';
/** Clock skew allowed between the identity provider and this server, in seconds. */
const CLOCK_TOLERANCE = 30;

/** Claims this API reads from a bearer token. */
export interface TokenClaims {
  /** User id. */
  sub: string;
  /** Id of the organization the user acts for. */
  org: string;
  /** Role names as the identity provider writes them: the API's own, or with DANGJIAN_ROLE_MAP the map's names. */
  roles: readonly string[];
  /** For a community administrator: the community they act for. */
  community?: string;
}

/**
 * In development without JWT_SECRET, a random secret is created once and kept beside the data, so
 * `dangjian token` and the server agree without a well-known secret that anyone could sign with.
 */
export function developmentSecret(config: Config): string {
  const dir =
    config.database.kind === 'embedded' && !config.database.dataDir.startsWith('memory://')
      ? config.database.dataDir
      : join(process.cwd(), '.data');
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

/**
 * The lifetime a token is signed for, in seconds (default: JWT_MAX_LIFETIME). Throws, naming `label`, when
 * `expires` is not a duration or exceeds JWT_MAX_LIFETIME: the server would refuse that token.
 */
export function tokenLifetime(config: Config, expires: string | undefined, label = 'expiresIn'): number {
  const max = config.auth.maxTokenLifetimeSeconds;
  if (expires === undefined) return max;
  const seconds = parseDuration(expires);
  if (seconds === null || seconds <= 0) throw new Error(`${label} must be a duration like 8h, 30m or 3600 (seconds), got "${expires}"`);
  if (seconds > max) {
    throw new Error(
      `${label} ${expires} is beyond JWT_MAX_LIFETIME (${formatDuration(max)}): the server would refuse the token; ask for at most ${formatDuration(max)} or raise JWT_MAX_LIFETIME`,
    );
  }
  return seconds;
}

/**
 * Signs a token (development tool and tests); refuses in production, and refuses what the server would
 * refuse (unknown roles, a lifetime beyond JWT_MAX_LIFETIME) rather than hand out a token that cannot work.
 */
export async function signToken(config: Config, claims: TokenClaims, expiresIn?: string): Promise<string> {
  if (config.production) throw new Error('refusing to sign tokens in production (NODE_ENV=production)');
  const secret = signingSecret(config);
  if (!secret) throw new Error('no JWT_SECRET to sign with: tokens are verified with a public key or JWKS here');
  try {
    rolesOf(claims.roles, config.auth.roleMap);
  } catch (error) {
    throw new Error(`refusing to sign a token the server would refuse: ${(error as TokenPolicyError).detail}`);
  }
  const lifetime = tokenLifetime(config, expiresIn);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ org: claims.org, roles: claims.roles, ...(claims.community ? { community: claims.community } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(new TextEncoder().encode(secret));
}

type Verifier = (token: string) => Promise<JWTPayload>;

async function makeVerifier(config: Config): Promise<Verifier> {
  const options = { issuer: ISSUER, audience: AUDIENCE, clockTolerance: CLOCK_TOLERANCE };
  if (config.auth.jwksUrl) {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.auth.jwksUrl));
    return async (token) => (await jwtVerify(token, jwks, options)).payload;
  }
  if (config.auth.jwtPublicKey) {
    const pem = config.auth.jwtPublicKey.startsWith('-----BEGIN')
      ? config.auth.jwtPublicKey
      : readFileSync(config.auth.jwtPublicKey, 'utf8');
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
/** Authenticates one request; `requestId` names it in the log line of a refused token. */
export type Authenticate = (authorization: string | null | undefined, requestId?: string) => Promise<Viewer | null>;

/** A token that passed the signature check and the policy: what the viewer is built from. */
interface AcceptedToken {
  sub: string;
  org: string;
  roles: Role[];
  community: string | null;
  exp: number;
  iat: number | null;
}

/** Dependencies of the authenticator beyond configuration and database. */
export interface AuthenticatorOptions {
  /** True when the user's sessions issued at `issuedAt` were revoked. */
  isRevoked?: (userId: string, issuedAt: number | null) => boolean;
  /** Where a correctly signed token refused by policy is logged, with the user and why (stderr by default). */
  log?: (message: string, fields?: { requestId?: string }) => void;
}

/** Builds the request authenticator: verifies the token, applies the token policy, then resolves the organization's path. */
export async function createAuthenticator(config: Config, db: PrismaClient, options: AuthenticatorOptions = {}): Promise<Authenticate> {
  const { isRevoked, log = (m: string) => console.error(m) } = options;
  const verify = await makeVerifier(config);
  // A client sends the same token with every request: checking its signature once (until it expires, at
  // most 5 minutes) saves the HMAC/RSA work on every request after the first. Only tokens the policy
  // accepted are cached, so a refused one is checked (and refused) again each time. Revocation is checked each time.
  const verified = new ExpiringCache<string, AcceptedToken>(10_000);
  // The organization's path scopes everything the viewer sees. A stale path cannot widen access: a moved
  // subtree takes new paths, so an old prefix matches nothing; it is re-read at least every 30 s.
  const paths = new ExpiringCache<string, string>(10_000);

  /** Verifies signature and claims; refuses (and logs) a signed token the policy does not accept. */
  const accept = async (token: string, requestId: string | undefined): Promise<AcceptedToken> => {
    let payload: JWTPayload;
    try {
      payload = await verify(token);
    } catch {
      throw new UnauthenticatedError('invalid or expired token');
    }
    const { sub, org, roles } = payload;
    if (typeof sub !== 'string' || typeof org !== 'string' || !Array.isArray(roles)) {
      throw new UnauthenticatedError('token lacks sub, org or roles');
    }
    try {
      const exp = checkLifetime(payload.exp, payload.iat, config.auth.maxTokenLifetimeSeconds, Date.now() / 1000, CLOCK_TOLERANCE);
      return {
        sub,
        org,
        roles: rolesOf(roles, config.auth.roleMap),
        community: typeof payload.community === 'string' ? payload.community : null,
        exp,
        iat: payload.iat ?? null,
      };
    } catch (error) {
      // The signature was good, so the identity provider issued this: its configuration is wrong, and the
      // operator must hear of it; the client only learns that the token was refused.
      if (error instanceof TokenPolicyError) log(`token refused: user ${JSON.stringify(sub)}: ${error.detail}`, { requestId });
      throw error;
    }
  };

  return async (authorization, requestId) => {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"');
    const token = match[1]!;
    let accepted = verified.get(token);
    if (!accepted) {
      accepted = await accept(token, requestId);
      verified.set(token, accepted, Math.min(accepted.exp * 1000, Date.now() + 5 * 60_000));
    }
    const { sub, org } = accepted;
    let path = paths.get(org);
    if (path === undefined) {
      const organization = await db.organization.findUnique({ where: { id: org }, select: { path: true } });
      if (!organization) throw new UnauthenticatedError('the token’s organization no longer exists');
      path = organization.path;
      paths.set(org, path, Date.now() + 30_000);
    }
    const issuedAt = accepted.iat === null ? null : accepted.iat * 1000;
    if (isRevoked?.(sub, issuedAt)) throw new UnauthenticatedError('this session was revoked: sign in again');
    return {
      userId: sub,
      organizationId: org,
      organizationPath: path,
      roles: accepted.roles,
      communityId: accepted.community,
      expiresAt: accepted.exp * 1000,
      issuedAt,
    };
  };
}
