import type { PluginApi, PluginEvent } from '@dangjian/core';
import type { Enums } from './enums.ts';

/** The plugin's declared events (plugin.ts augments `DangjianPlugins`). */
export type DualCultivationEvent = PluginEvent<'dual-cultivation'>;

/** What each file's register function needs: the plugin-bound core API and the shared enums. */
export interface Deps {
  api: PluginApi<DualCultivationEvent>;
  enums: Enums;
}
