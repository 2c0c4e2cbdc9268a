/** The parts of a plugin's package.json that its definition reads. */
export interface PluginPackage {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

const PLUGIN_PACKAGE = /^@dangjian\/plugin-(.+)$/;

/**
 * A plugin's `requires`, read from its package.json's `peerDependencies`, so the two cannot disagree:
 * `@dangjian/core` becomes `core`, `@dangjian/plugin-<id>` becomes `<id>`, with the same semver range.
 * Other peer dependencies (libraries) are not plugins and are left out.
 *
 * ```ts
 * import pkg from '../package.json' with { type: 'json' };
 * definePlugin({ id: 'party-brand', version: pkg.version, requires: requiresFrom(pkg), … });
 * ```
 */
export function requiresFrom(pkg: Pick<PluginPackage, 'peerDependencies'>): Record<string, string> {
  const requires: Record<string, string> = {};
  for (const [name, range] of Object.entries(pkg.peerDependencies ?? {})) {
    if (name === '@dangjian/core') requires.core = range;
    else {
      const plugin = PLUGIN_PACKAGE.exec(name)?.[1];
      if (plugin) requires[plugin] = range;
    }
  }
  return requires;
}
