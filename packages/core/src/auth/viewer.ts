/** Roles a token may carry. */
export const ROLES = ['ADMIN', 'SECRETARY', 'DISCIPLINE', 'AUDITOR', 'MEMBER', 'COMMUNITY_ADMIN'] as const;

/** Roles that act inside the agency tree; a viewer with none of them (a community administrator) sees none of it. */
export const AGENCY_ROLES: readonly Role[] = ['ADMIN', 'SECRETARY', 'DISCIPLINE', 'AUDITOR', 'MEMBER'];
export type Role = (typeof ROLES)[number];

/** The authenticated user of a request: who, for which organization, with which roles. */
export interface Viewer {
  userId: string;
  /** The organization the user acts for; everything they may see lies in its subtree. */
  organizationId: string;
  /** Materialized path of that organization (`/root/…/id/`), resolved once per request. */
  organizationPath: string;
  roles: readonly Role[];
  /** For community administrators (社区管理员): the community (a plugin's id) they act for, else null. */
  communityId: string | null;
  /** When the token expires (ms since epoch), so long-lived sockets can be closed then; null if never. */
  expiresAt?: number | null;
  /** When the token was issued (ms since epoch): a session revocation refuses tokens issued before it. */
  issuedAt?: number | null;
}

/** True when the viewer holds any of the given roles. */
export function hasRole(viewer: Viewer | null, ...roles: Role[]): boolean {
  return viewer !== null && roles.some((r) => viewer.roles.includes(r));
}

/** True when the path lies in the viewer's subtree (the organization itself included). */
export function inSubtree(viewer: Viewer, path: string): boolean {
  return viewer.roles.some((r) => AGENCY_ROLES.includes(r)) && path.startsWith(viewer.organizationPath);
}
