import { ROLES, type Role } from '@dangjian/core/auth';
import { UnauthenticatedError } from '@dangjian/core/errors';
import { formatDuration } from './duration.ts';

/** What a correctly signed token must also satisfy to be accepted (from JWT_MAX_LIFETIME and DANGJIAN_ROLE_MAP). */
export interface TokenPolicy {
  /** The identity provider's role names → this API's roles; null: a token names the API's own roles (ROLES). */
  roleMap: ReadonlyMap<string, Role> | null;
  /** The longest lifetime a token may have, in seconds. */
  maxLifetimeSeconds: number;
}

/**
 * A correctly signed token this API refuses by policy. The client sees `message` (UNAUTHENTICATED); `detail`
 * names what was wrong (the role names, the lifetime) for the server log only.
 */
export class TokenPolicyError extends UnauthenticatedError {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

/**
 * The API roles a token's `roles` claim grants. Refuses a token naming no role or any role the API (or the
 * role map) does not know: an unknown name means the identity provider's mapping is wrong, and dropping it
 * silently would hide that (and `["ADMIN","GOD"]` must not pass as ADMIN).
 */
export function rolesOf(claim: readonly unknown[], roleMap: TokenPolicy['roleMap']): Role[] {
  if (claim.length === 0) throw new TokenPolicyError('the token names no role', 'the roles claim is empty');
  const roles = new Set<Role>();
  const unknown: string[] = [];
  for (const name of claim) {
    const role =
      typeof name !== 'string'
        ? undefined
        : roleMap
          ? roleMap.get(name)
          : (ROLES as readonly string[]).includes(name)
            ? (name as Role)
            : undefined;
    if (role) roles.add(role);
    else unknown.push(JSON.stringify(name));
  }
  if (unknown.length > 0) {
    const known = roleMap ? `DANGJIAN_ROLE_MAP names ${[...roleMap.keys()].join(', ')}` : `known: ${ROLES.join(', ')}`;
    throw new TokenPolicyError('the token names a role this API does not know', `unknown role(s) ${unknown.join(', ')} (${known})`);
  }
  return [...roles];
}

/**
 * Refuses a token that never expires or lives longer than the maximum, so a leaked token cannot live for
 * ever. Lifetime is exp − iat, or exp − now without iat; in either case no token may have more than the
 * maximum still to run (plus the clock tolerance), or an iat set in the future would stretch it. Returns exp.
 */
export function checkLifetime(
  exp: number | undefined,
  iat: number | undefined,
  maxLifetimeSeconds: number,
  nowSeconds: number,
  toleranceSeconds: number,
): number {
  if (exp === undefined) throw new TokenPolicyError('the token has no expiry (exp)', 'no exp claim: tokens must expire');
  const lifetime = exp - (iat ?? nowSeconds);
  const remaining = exp - nowSeconds;
  if (lifetime > maxLifetimeSeconds || remaining > maxLifetimeSeconds + toleranceSeconds) {
    const what =
      lifetime > maxLifetimeSeconds
        ? iat === undefined
          ? `expires in ${formatDuration(Math.round(lifetime))} (no iat)`
          : `lifetime ${formatDuration(Math.round(lifetime))} (exp − iat)`
        : `expires in ${formatDuration(Math.round(remaining))} (iat lies in the future)`;
    throw new TokenPolicyError(
      'the token lives longer than this API allows',
      `${what}, over JWT_MAX_LIFETIME ${formatDuration(maxLifetimeSeconds)}`,
    );
  }
  return exp;
}
