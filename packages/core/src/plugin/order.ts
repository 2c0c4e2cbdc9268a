import semver from 'semver';
import type { AnyPlugin } from './define.ts';

/** Start-up wiring failed; the message names both sides (Backstage-style fail-fast). */
export class PluginRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginRegistryError';
  }
}

/**
 * Checks every plugin's `requires` against core's version and the loaded plugins, and orders the
 * plugins so that each comes after what it requires. Throws on a missing plugin, a version out of
 * range, a duplicate id, or a cycle.
 */
export function orderPlugins(plugins: readonly AnyPlugin[], coreVersion: string): AnyPlugin[] {
  const byId = new Map<string, AnyPlugin>();
  for (const plugin of plugins) {
    if (byId.has(plugin.id))
      throw new PluginRegistryError(`plugin ${plugin.id} is loaded twice (${byId.get(plugin.id)!.version} and ${plugin.version})`);
    byId.set(plugin.id, plugin);
  }
  const versionOf = (id: string) => (id === 'core' ? coreVersion : byId.get(id)?.version);
  for (const plugin of plugins) {
    for (const [dep, range] of Object.entries(plugin.requires)) {
      if (!semver.validRange(range))
        throw new PluginRegistryError(`plugin ${plugin.id}@${plugin.version} requires ${dep} with an invalid range "${range}"`);
      const version = versionOf(dep);
      if (version === undefined)
        throw new PluginRegistryError(`plugin ${plugin.id}@${plugin.version} requires ${dep} ${range}, which is not loaded`);
      if (!semver.satisfies(version, range, { includePrerelease: true })) {
        throw new PluginRegistryError(`plugin ${plugin.id}@${plugin.version} requires ${dep} ${range}, but ${dep}@${version} is loaded`);
      }
    }
  }
  const ordered: AnyPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (plugin: AnyPlugin, trail: string[]) => {
    if (state.get(plugin.id) === 'done') return;
    if (state.get(plugin.id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(plugin.id)), plugin.id];
      throw new PluginRegistryError(`plugins require each other in a cycle: ${cycle.join(' → ')}`);
    }
    state.set(plugin.id, 'visiting');
    for (const dep of Object.keys(plugin.requires).sort()) {
      const required = byId.get(dep);
      if (required) visit(required, [...trail, plugin.id]);
    }
    state.set(plugin.id, 'done');
    ordered.push(plugin);
  };
  for (const plugin of [...plugins].sort((a, b) => a.id.localeCompare(b.id))) visit(plugin, []);
  return ordered;
}

/** Plugins that (transitively) require `id`, among `plugins`. */
export function dependentsOf(id: string, plugins: readonly Pick<AnyPlugin, 'id' | 'requires'>[]): string[] {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of plugins) {
      if (!out.has(p.id) && Object.keys(p.requires).some((d) => d === id || out.has(d))) {
        out.add(p.id);
        grew = true;
      }
    }
  }
  return [...out].sort();
}
