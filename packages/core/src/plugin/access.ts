import type { Role, Viewer } from '../auth/viewer.ts';
import type { OwnedIndicator } from '../assessment/indicator.ts';
import { CORE_INDICATORS } from '../assessment/core-indicators.ts';
import type { AttachmentOwners } from '../data/attachment-owner.ts';
import { loadedAttachmentOwners } from '../data/core-attachment-owners.ts';

/**
 * What a request knows about plugins: which the deployment loaded, which the viewer's top-level
 * organization has enabled (read live, so a change reaches open subscriptions), and who may see
 * each plugin event.
 */
/** A loaded plugin as the API lists it. */
export interface PluginInfo {
  id: string;
  version: string;
  description: string;
  requires: Readonly<Record<string, string>>;
}

export interface PluginAccess {
  /** Ids of the plugins this deployment loaded. */
  readonly loaded: ReadonlySet<string>;
  /** The loaded plugins in dependency order. */
  readonly list: readonly PluginInfo[];
  /** 考核指标 — core's indicators and every loaded plugin's (`offeredIndicators` filters by enablement). */
  readonly indicators: readonly OwnedIndicator[];
  /** 附件归属 — core's attachment owner types and every loaded plugin's (lookups check enablement). */
  readonly attachmentOwners: AttachmentOwners;
  /** Plugins enabled right now for the top-level organization with this id. */
  enabledFor(rootOrganizationId: string): Promise<ReadonlySet<string>>;
  /**
   * The same, when it is already loaded (undefined when it must be read): lets a per-event check of
   * thousands of subscriptions answer without waiting a turn of the event loop each.
   */
  enabledNow?(rootOrganizationId: string): ReadonlySet<string> | undefined;
  /** Roles allowed to see an activity kind; undefined means everyone in the subtree. */
  rolesFor(kind: string): readonly Role[] | undefined;
  /** Every kind that `rolesFor` restricts. */
  readonly restrictedKinds: readonly string[];
  /** Forgets the cached enablement of a top-level organization after a change. */
  invalidate(rootOrganizationId: string): void;
}

/** Core activities that only some roles may see: reading personal data in clear is for auditors. */
export const CORE_EVENT_ROLES: Readonly<Record<string, readonly Role[]>> = {
  'member.personalDataRead': ['AUDITOR'],
  'development.personalDataRead': ['AUDITOR'],
  'session.revoked': ['AUDITOR', 'ADMIN'],
};

/** Core's own activity areas; any other prefix names a plugin. */
const CORE_AREAS = new Set(['organization', 'member', 'cadre', 'meeting', 'development', 'plugin', 'session', 'assessment', 'reminder']);

/** The plugin an activity kind belongs to, or null for a core activity. */
export function pluginOfKind(kind: string): string | null {
  const area = kind.slice(0, kind.indexOf('.'));
  return CORE_AREAS.has(area) ? null : area;
}

/** The id of the viewer's top-level organization (the first id on its path). */
export function rootOf(viewer: Viewer): string {
  return viewer.organizationPath.split('/')[1]!;
}

/** True when the viewer may see an activity of this kind given the enabled plugins. */
export function mayViewKind(access: PluginAccess, enabled: ReadonlySet<string>, viewer: Viewer, kind: string): boolean {
  const plugin = pluginOfKind(kind);
  if (plugin !== null && !enabled.has(plugin)) return false;
  const roles = access.rolesFor(kind);
  return !roles || roles.some((r) => viewer.roles.includes(r));
}

/** Access for a server with no plugins (core only). */
export const noPlugins: PluginAccess = {
  loaded: new Set(),
  list: [],
  indicators: CORE_INDICATORS,
  attachmentOwners: loadedAttachmentOwners([]),
  enabledFor: async () => new Set(),
  enabledNow: () => new Set(),
  rolesFor: (kind) => CORE_EVENT_ROLES[kind],
  restrictedKinds: Object.keys(CORE_EVENT_ROLES),
  invalidate: () => {},
};
