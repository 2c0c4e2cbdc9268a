import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { requireViewer } from '../auth/subtree.ts';
import { ConflictError, ForbiddenError, InputError } from '../errors/errors.ts';
import { transact } from '../activity/record.ts';
import { rootOf, type PluginInfo } from '../plugin/access.ts';
import { dependentsOf } from '../plugin/order.ts';
import { viewerRefOf } from './viewer.ts';

interface PluginRow extends PluginInfo {
  enabled: boolean;
}

/** 插件 (Plugin): the loaded plugins, and per-department enablement at run time. */
export function registerPlugin(builder: Builder): void {
  const Requirement = builder.objectRef<{ id: string; range: string }>('PluginRequirement').implement({
    description: '依赖 — a plugin (or core) this plugin needs, with the semver range it accepts',
    fields: (t) => ({
      id: t.exposeString('id', { description: '插件 ID — or `core`' }),
      range: t.exposeString('range', { description: '版本范围 — semver range, e.g. ^1.0.0' }),
    }),
  });

  const Plugin = builder.objectRef<PluginRow>('Plugin').implement({
    description: '插件 — a plugin this deployment loaded, and whether your department has it enabled',
    fields: (t) => ({
      id: t.exposeString('id', { description: '插件 ID — kebab-case, e.g. party-brand' }),
      version: t.exposeString('version', { description: '版本 — the plugin’s own semver version' }),
      description: t.exposeString('description', { description: '说明 — what it is for' }),
      enabled: t.exposeBoolean('enabled', { description: '已启用 — enabled for your top-level organization (your department)' }),
      requires: t.field({
        type: [Requirement],
        description: '依赖 — what it requires',
        resolve: (p) => Object.entries(p.requires).map(([id, range]) => ({ id, range })),
      }),
    }),
  });

  const rows = async (ctx: Context): Promise<PluginRow[]> => {
    const enabled = await ctx.plugins.enabledFor(rootOf(requireViewer(ctx)));
    return ctx.plugins.list.map((p) => ({ ...p, enabled: enabled.has(p.id) }));
  };

  builder.queryField('plugins', (t) =>
    t.field({
      type: [Plugin],
      description: '插件列表 — plugins this deployment loaded, in dependency order, with your department’s choice',
      authScopes: { authenticated: true },
      resolve: (_root, _args, ctx) => rows(ctx),
    }),
  );

  builder.objectField(viewerRefOf(builder), 'plugins', (t) =>
    t.field({
      type: [Plugin],
      description:
        '已启用插件 — the plugins the viewer’s department has enabled, with their versions (the schema the viewer gets has exactly these)',
      resolve: async (_viewer, _args, ctx) => (await rows(ctx)).filter((p) => p.enabled),
    }),
  );

  builder.mutationField('setPluginEnabled', (t) =>
    t.field({
      type: Plugin,
      description:
        '启用/停用插件 — enable or disable a loaded plugin for your department (ADMIN of a top-level organization). ' +
        'Takes effect on the next request and on open subscriptions; a disabled plugin’s data is kept.',
      authScopes: { role: 'ADMIN' },
      args: {
        pluginId: t.arg.string({ required: true, description: '插件 ID' }),
        enabled: t.arg.boolean({ required: true, description: 'true 启用, false 停用' }),
      },
      resolve: async (_root, { pluginId, enabled }, ctx) => {
        const viewer = requireViewer(ctx);
        const rootId = rootOf(viewer);
        if (viewer.organizationId !== rootId)
          throw new ForbiddenError('only an admin of the top-level organization may enable or disable plugins');
        const plugin = ctx.plugins.list.find((p) => p.id === pluginId);
        if (!plugin) throw new InputError('pluginId', `"${pluginId}" is not a plugin this deployment loaded`);
        const current = await ctx.plugins.enabledFor(rootId);
        if (enabled) {
          const missing = Object.keys(plugin.requires).filter((id) => id !== 'core' && !current.has(id));
          if (missing.length)
            throw new ConflictError(`${pluginId} requires ${missing.join(', ')}: enable ${missing.length > 1 ? 'them' : 'it'} first`, {
              requires: missing,
            });
        } else {
          const dependents = dependentsOf(pluginId, ctx.plugins.list).filter((id) => current.has(id));
          if (dependents.length)
            throw new ConflictError(
              `${dependents.join(', ')} require${dependents.length > 1 ? '' : 's'} ${pluginId}: disable ${dependents.length > 1 ? 'them' : 'it'} first`,
              { dependents },
            );
        }
        await transact(ctx, async (tx, record) => {
          const root = await tx.organization.findUniqueOrThrow({ where: { id: rootId }, select: { id: true, path: true, name: true } });
          await tx.pluginSetting.upsert({
            where: { organizationId_pluginId: { organizationId: rootId, pluginId } },
            create: { organizationId: rootId, pluginId, enabled, updatedBy: viewer.userId },
            update: { enabled, updatedBy: viewer.userId },
          });
          await record({
            kind: enabled ? 'plugin.enabled' : 'plugin.disabled',
            organization: root,
            subjectType: 'Plugin',
            subjectId: pluginId,
            summary: `${root.name}${enabled ? '启用' : '停用'}插件 ${pluginId}@${plugin.version}`,
            data: { pluginId, version: plugin.version, enabled },
          });
        });
        // After commit: this process at once, every other server process through the event bus.
        ctx.plugins.invalidate(rootId);
        ctx.pubsub.publish('plugins:changed', { rootOrganizationId: rootId, pluginId, enabled });
        return { ...plugin, enabled };
      },
    }),
  );
}
