import type { PluginDeps } from '@dangjian/core';
import type { Enums } from './enums.ts';
import type { DisciplineEvent } from './events.ts';

/** What every `register*` function of the plugin receives beside the builder. */
export type Deps = PluginDeps<DisciplineEvent, Enums>;
