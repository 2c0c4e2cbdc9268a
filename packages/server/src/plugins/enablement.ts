import type { AnyPlugin, PluginAccess, PubSub, Role } from '@dangjian/core';
import { CORE_EVENT_ROLES, loadedAttachmentOwners, loadedIndicators } from '@dangjian/core';
import type { PrismaClient } from '@dangjian/db';

/**
 * Per-department enablement, read from `PluginSetting` (no row = enabled) and cached per top-level
 * organization. The cache is dropped by `plugins:changed` events, which reach every server process
 * through the event bus, so a change takes effect on the next request everywhere.
 */
export function createPluginAccess(db: PrismaClient, plugins: readonly AnyPlugin[], pubsub: PubSub): PluginAccess & { stop(): void } {
  const loaded = new Set(plugins.map((p) => p.id));
  // Before anything is started: two plugins claiming one owner type stop the server here.
  const attachmentOwners = loadedAttachmentOwners(plugins);
  // Per department: the read in flight, and once it settled its answer (for enabledNow).
  const cache = new Map<string, { promise: Promise<ReadonlySet<string>>; value?: ReadonlySet<string> }>();
  const forget = (rootId: string) => cache.delete(rootId);
  const roles = new Map<string, readonly Role[]>(Object.entries(CORE_EVENT_ROLES));
  for (const plugin of plugins)
    for (const [kind, allowed] of Object.entries(plugin.eventRoles ?? {})) if (allowed) roles.set(kind, allowed);

  const iterator = pubsub.subscribe('plugins:changed')[Symbol.asyncIterator]();
  // After a bus outage any department may have changed unheard: forget everything.
  const gaps = pubsub.subscribe('bus:gap')[Symbol.asyncIterator]();
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const next = await iterator.next();
      if (next.done) return;
      forget(next.value.rootOrganizationId);
    }
  })();
  void (async () => {
    while (!stopped) {
      const next = await gaps.next();
      if (next.done) return;
      cache.clear();
    }
  })();

  return {
    loaded,
    list: plugins.map(({ id, version, description, requires }) => ({ id, version, description, requires })),
    indicators: loadedIndicators(plugins),
    attachmentOwners,
    rolesFor: (kind) => roles.get(kind),
    restrictedKinds: [...roles.keys()],
    invalidate: forget,
    enabledFor(rootId) {
      const cached = cache.get(rootId);
      if (cached) return cached.promise;
      const entry: { promise: Promise<ReadonlySet<string>>; value?: ReadonlySet<string> } = {
        promise: db.pluginSetting
          .findMany({ where: { organizationId: rootId, enabled: false }, select: { pluginId: true } })
          .then((rows) => {
            const disabled = new Set(rows.map((r) => r.pluginId));
            const enabled = new Set([...loaded].filter((id) => !disabled.has(id)));
            entry.value = enabled;
            return enabled;
          }),
      };
      // A failed read is not cached; a read forgotten meanwhile (plugins:changed) stays forgotten.
      entry.promise.catch(() => {
        if (cache.get(rootId) === entry) cache.delete(rootId);
      });
      cache.set(rootId, entry);
      return entry.promise;
    },
    enabledNow: (rootId) => cache.get(rootId)?.value,
    stop() {
      stopped = true;
      void iterator.return?.();
      void gaps.return?.();
    },
  };
}
