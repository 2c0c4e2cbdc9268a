import type { Context } from '../context.ts';
import { requireViewer } from '../auth/subtree.ts';
import { rootOf } from '../plugin/access.ts';
import { indicatorsOf, type AnyPlugin } from '../plugin/define.ts';
import { CORE_INDICATORS } from './core-indicators.ts';
import type { OwnedIndicator } from './indicator.ts';

/** Every indicator of a deployment: core's, then each loaded plugin's (in dependency order). */
export function loadedIndicators(plugins: readonly AnyPlugin[]): readonly OwnedIndicator[] {
  const all = [...CORE_INDICATORS, ...plugins.flatMap(indicatorsOf)];
  const ids = new Set<string>();
  for (const indicator of all) {
    if (ids.has(indicator.id)) throw new Error(`indicator "${indicator.id}" is declared twice`);
    ids.add(indicator.id);
  }
  return Object.freeze(all);
}

/**
 * The indicators offered to the viewer's department: core's, and those of the plugins it has enabled now.
 * An indicator of a disabled plugin is not offered (a scheme item using it is scored not applicable).
 */
export async function offeredIndicators(ctx: Context): Promise<readonly OwnedIndicator[]> {
  const enabled = await ctx.plugins.enabledFor(rootOf(requireViewer(ctx)));
  return ctx.plugins.indicators.filter((i) => i.owner === 'core' || enabled.has(i.owner));
}

/** One indicator offered to the viewer's department, by id; null when it is unknown or its plugin is disabled there. */
export async function offeredIndicator(ctx: Context, id: string): Promise<OwnedIndicator | null> {
  return (await offeredIndicators(ctx)).find((i) => i.id === id) ?? null;
}
