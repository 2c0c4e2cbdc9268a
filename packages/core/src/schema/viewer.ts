import type { Builder } from '../builder.ts';
import { hasRole, type Viewer } from '../auth/viewer.ts';
import { organizationScope } from '../auth/subtree.ts';
import { rootOf } from '../plugin/access.ts';
import { modelRef } from './refs.ts';

/** What `viewer.permissions` resolves from: the request's viewer. Plugins add their own booleans to it. */
export interface ViewerPermissionsShape {
  viewer: Viewer;
}

const newViewerRef = (builder: Builder) => builder.objectRef<Viewer>('Viewer');
const newPermissionsRef = (builder: Builder) => builder.objectRef<ViewerPermissionsShape>('ViewerPermissions');
// One ref per builder: every file asking for the type gets the same one (a builder is made per schema).
const viewerRefs = new WeakMap<Builder, ReturnType<typeof newViewerRef>>();
const permissionRefs = new WeakMap<Builder, ReturnType<typeof newPermissionsRef>>();

/** The builder's `Viewer` type, so another file (the plugin list, a plugin) can add a field to it. */
export function viewerRefOf(builder: Builder) {
  let ref = viewerRefs.get(builder);
  if (!ref) {
    ref = newViewerRef(builder);
    viewerRefs.set(builder, ref);
  }
  return ref;
}

/**
 * The builder's `ViewerPermissions` type: a plugin adds the booleans for its own actions with
 * `builder.objectField(viewerPermissionsRefOf(builder), 'name', …)`, so they disappear with the plugin.
 */
export function viewerPermissionsRefOf(builder: Builder) {
  let ref = permissionRefs.get(builder);
  if (!ref) {
    ref = newPermissionsRef(builder);
    permissionRefs.set(builder, ref);
  }
  return ref;
}

/** True when the viewer acts for a top-level organization (a working committee): plugin and session admin. */
function actsForDepartment(viewer: Viewer): boolean {
  return viewer.organizationId === rootOf(viewer);
}

/**
 * 当前用户 (Viewer): who the token says is asking, and what they may do — the first query of a frontend,
 * so it can show or hide actions without decoding the token or repeating the server's rules.
 */
export function registerViewer(builder: Builder): void {
  const Permissions = viewerPermissionsRefOf(builder).implement({
    description: '操作权限 — what the viewer may do, as booleans a UI can show or hide actions by (the server still checks every request)',
    fields: (t) => ({
      manageOrganizations: t.boolean({
        description: '管理党组织 — create, update, move, renew the term of and dissolve organizations in the subtree (ADMIN)',
        resolve: ({ viewer }) => hasRole(viewer, 'ADMIN'),
      }),
      manageMembers: t.boolean({
        description: '管理党员 — register, update, transfer and convert members, record dues (ADMIN or SECRETARY)',
        resolve: ({ viewer }) => hasRole(viewer, 'ADMIN', 'SECRETARY'),
      }),
      manageCadresAndMeetings: t.boolean({
        description: '管理党务干部和会议 — appoint cadres, record trainings, assessments and meetings (ADMIN or SECRETARY)',
        resolve: ({ viewer }) => hasRole(viewer, 'ADMIN', 'SECRETARY'),
      }),
      readClearPersonalData: t.boolean({
        description: '查看明文个人信息 — read national IDs and phones unmasked (`clear: true`), each read audited (ADMIN or SECRETARY)',
        resolve: ({ viewer }) => hasRole(viewer, 'ADMIN', 'SECRETARY'),
      }),
      readPersonalDataAudit: t.boolean({
        description: '查看个人信息查阅记录 — see the activities recording clear reads of personal data (AUDITOR only: 三员分立)',
        resolve: ({ viewer }) => hasRole(viewer, 'AUDITOR'),
      }),
      enablePlugins: t.boolean({
        description: '启用/停用插件 — enable or disable plugins for the department (ADMIN acting for the top-level organization)',
        resolve: ({ viewer }) => hasRole(viewer, 'ADMIN') && actsForDepartment(viewer),
      }),
      revokeSessions: t.boolean({
        description: '吊销会话 — void every token of a user (ADMIN acting for the top-level organization)',
        resolve: ({ viewer }) => hasRole(viewer, 'ADMIN') && actsForDepartment(viewer),
      }),
    }),
  });

  viewerRefOf(builder).implement({
    description: '当前用户 — the user a token names, the organization they act for, their roles and permissions',
    fields: (t) => ({
      userId: t.exposeString('userId', { description: '用户 ID — the token’s subject (`sub`)' }),
      organization: t.prismaField({
        type: modelRef(builder, 'Organization'),
        nullable: true,
        description:
          '所在党组织 — the organization the token acts for (null for a community administrator, who acts outside the agency tree)',
        resolve: (query, viewer, _args, ctx) =>
          ctx.db.organization.findFirst({ ...query, where: { id: viewer.organizationId, ...organizationScope(ctx) } }),
      }),
      roles: t.stringList({
        description: '角色 — ADMIN, SECRETARY, DISCIPLINE, AUDITOR, MEMBER or COMMUNITY_ADMIN',
        resolve: (viewer) => [...viewer.roles],
      }),
      expiresAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: '令牌到期 — when the token expires: sign in again before then',
        resolve: (viewer) => (viewer.expiresAt ? new Date(viewer.expiresAt) : null),
      }),
      permissions: t.field({ type: Permissions, description: '操作权限 — what the viewer may do', resolve: (viewer) => ({ viewer }) }),
    }),
  });

  builder.queryField('viewer', (t) =>
    t.field({
      type: viewerRefOf(builder),
      nullable: true,
      description: '当前用户 — who is asking (from the token), or null without one; the first query of a frontend',
      resolve: (_root, _args, ctx) => ctx.viewer,
    }),
  );
}
