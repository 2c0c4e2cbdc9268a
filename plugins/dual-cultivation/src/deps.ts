import type { PluginDeps } from '@dangjian/core';
import type { Enums } from './enums.ts';
import type { DualCultivationEvent } from './events.ts';

/** What every `register*` function of the plugin receives beside the builder. */
export type Deps = PluginDeps<DualCultivationEvent, Enums>;
