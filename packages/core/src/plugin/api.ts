import type { Context } from '../context.ts';
import { rootOf } from './access.ts';
import { transact, type ActivityInput, type RecordActivity, type Tx } from '../activity/record.ts';
import { requireViewer } from '../auth/subtree.ts';

/** Publishes one of the plugin's own events as an activity, inside the caller's transaction. */
export type Publish<Event extends string> = (event: Event, activity: Omit<ActivityInput, 'kind'>) => Promise<void>;

/** What core hands a plugin's `register`: its identity and the plugin-bound parts of the core API. */
export interface PluginApi<Event extends string = string> {
  readonly pluginId: string;
  /**
   * Runs writes and the plugin's activities in one transaction; activities are published after commit.
   * `publish` accepts only the events the plugin declared; `record` is core's own recorder, handed to core
   * functions a plugin calls inside the transaction (e.g. `startDevelopmentIn`) so they record core events.
   */
  transact<T>(ctx: Context, work: (tx: Tx, publish: Publish<Event>, record: RecordActivity) => Promise<T>): Promise<T>;
  /** Writes and publishes a single activity in its own transaction. */
  publish(ctx: Context, event: Event, activity: Omit<ActivityInput, 'kind'>): Promise<void>;
  /** True when the plugin is enabled for the viewer's department right now (for subscription filters). */
  isEnabled(ctx: Context): Promise<boolean>;
}

/** Builds the API object for one plugin; every guard (declared events only) is enforced at run time too. */
export function createPluginApi<Event extends string>(pluginId: string, events: readonly Event[]): PluginApi<Event> {
  const declared = new Set<string>(events);
  const check = (event: string) => {
    if (!declared.has(event)) throw new Error(`plugin ${pluginId} published undeclared event "${event}"`);
  };
  return Object.freeze({
    pluginId,
    transact: <T>(ctx: Context, work: (tx: Tx, publish: Publish<Event>, record: RecordActivity) => Promise<T>) =>
      transact(ctx, (tx, record) =>
        work(
          tx,
          async (event, activity) => {
            check(event);
            await record({ ...activity, kind: event });
          },
          record,
        ),
      ),
    publish: async (ctx: Context, event: Event, activity: Omit<ActivityInput, 'kind'>) => {
      check(event);
      await transact(ctx, (_tx, record) => record({ ...activity, kind: event }));
    },
    isEnabled: async (ctx: Context) => (await ctx.plugins.enabledFor(rootOf(requireViewer(ctx)))).has(pluginId),
  });
}

/**
 * What each of a plugin's `register*` functions receives beside the builder — one shape for every
 * plugin: `registerBrand(builder, deps)`. `api` is the plugin-bound core API (only the plugin's declared
 * events compile); `enums` are the plugin's GraphQL enums, defined once in its `enums.ts`.
 */
export interface PluginDeps<Event extends string = string, Enums extends object = object> {
  readonly api: PluginApi<Event>;
  readonly enums: Enums;
}
