import type { Builder } from '../builder.ts';
import type { Role } from '../auth/viewer.ts';
import type { PluginApi } from './api.ts';
import { ownIndicators, type IndicatorDefinition, type OwnedIndicator } from '../assessment/indicator.ts';
import { checkReminderRules, type AnyReminderRule } from '../reminders/rule.ts';
import type { AttachmentOwnerDefinition } from '../data/attachment-owner.ts';

/**
 * Plugins declare themselves here by declaration merging, so that plugin ids and event names are
 * checked by the compiler wherever they are used:
 *
 * ```ts
 * declare module '@dangjian/core' {
 *   interface DangjianPlugins {
 *     'party-brand': { events: 'party-brand.submitted' | 'party-brand.approved' };
 *   }
 * }
 * ```
 */
// biome-ignore lint: an empty interface is the point of declaration merging
export interface DangjianPlugins {}

/** Events the core itself publishes. */
export type CoreEvent =
  `${'organization' | 'member' | 'cadre' | 'meeting' | 'development' | 'plugin' | 'assessment' | 'reminder'}.${string}`;

/** Every known plugin id. */
export type PluginId = keyof DangjianPlugins & string;

/** Events of one plugin, as it declared them. */
export type PluginEvent<Id extends PluginId> = DangjianPlugins[Id] extends { events: infer E extends string } ? E : never;

/** Any event name: core's, or a declared plugin's. */
export type EventName = CoreEvent | { [Id in PluginId]: PluginEvent<Id> }[PluginId];

/** Roles allowed to see each of a plugin's events in feeds and subscriptions; events not listed are for everyone in the subtree. */
export type EventRoles<Event extends string = string> = Readonly<Partial<Record<Event, readonly Role[]>>>;

/** What a plugin is: plain, frozen data plus a `register` function (PostGraphile/Backstage style). */
export interface PluginDefinition<Id extends string = string, Event extends string = string> {
  /** Kebab-case, unique, the prefix of its events and its Prisma file name. */
  readonly id: Id;
  /** The plugin's own semver version, from its package.json. */
  readonly version: string;
  /** One line for `plugins { description }`. */
  readonly description: string;
  /** Semver ranges of `core` and of other plugins it needs. */
  readonly requires: Readonly<Record<string, string>>;
  /** Activity kinds it publishes, each `<id>.<event>`. */
  readonly events: readonly Event[];
  /** Roles allowed to see an event in feeds; events not listed are visible to everyone in the subtree. */
  readonly eventRoles?: EventRoles<Event>;
  /**
   * 考核指标 — the plugin's indicators for assessment schemes, each `<id>.<area>.<name>`. Offered to a
   * department only while the plugin is enabled there.
   */
  readonly indicators?: readonly IndicatorDefinition[];
  /**
   * 提醒规则 — the plugin's reminder rules, each `<id>.<name>`: the scheduler runs them for departments that
   * enable the plugin, beside core's.
   */
  readonly reminders?: readonly AnyReminderRule[];
  /**
   * 附件归属 — the plugin's record types that carry files (README: 附件): found with the record's own rules,
   * and only while the plugin is enabled for the viewer's department. Add `<Type>.attachments` with the
   * kit's `attachmentsField`.
   */
  readonly attachmentOwners?: readonly AttachmentOwnerDefinition<Event>[];
  /** Adds the plugin's types, queries, mutations and subscriptions. */
  register(builder: Builder, api: PluginApi<Event>): void;
}

/** A plugin as the registry sees it, whatever its ids' literal types. */
export type AnyPlugin = PluginDefinition<string, string>;

/**
 * The indicators of a plugin with their owner. `definePlugin` already checked and owned them; a plugin
 * object written without it (tests) is checked here.
 */
export function indicatorsOf(plugin: AnyPlugin): readonly OwnedIndicator[] {
  const indicators = plugin.indicators ?? [];
  return indicators.every((i) => (i as Partial<OwnedIndicator>).owner === plugin.id)
    ? (indicators as readonly OwnedIndicator[])
    : ownIndicators(plugin.id, indicators);
}

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** A plugin definition is malformed; the message names the plugin and what is wrong. */
export class PluginDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginDefinitionError';
  }
}

/**
 * Declares a plugin. Checks the definition at once (id, version, event prefixes, indicator ids) and returns it
 * frozen, so a plugin object can be shared between builds and never changes after import.
 */
export function definePlugin<Id extends PluginId>(
  definition: PluginDefinition<Id, PluginEvent<Id>>,
): Readonly<PluginDefinition<Id, PluginEvent<Id>>>;
export function definePlugin<Id extends string, Event extends string>(
  definition: PluginDefinition<Id, Event>,
): Readonly<PluginDefinition<Id, Event>>;
export function definePlugin(definition: AnyPlugin): Readonly<AnyPlugin> {
  const { id, version, events, requires } = definition;
  if (!ID.test(id) || id === 'core') throw new PluginDefinitionError(`plugin id "${id}" must be kebab-case and not "core"`);
  if (!SEMVER.test(version)) throw new PluginDefinitionError(`plugin ${id}: version "${version}" is not a semver version`);
  for (const event of events) {
    if (!event.startsWith(`${id}.`) || event.length <= id.length + 1) {
      throw new PluginDefinitionError(`plugin ${id}: event "${event}" must be named "${id}.<event>"`);
    }
  }
  if (new Set(events).size !== events.length) throw new PluginDefinitionError(`plugin ${id}: an event is declared twice`);
  if (id in requires) throw new PluginDefinitionError(`plugin ${id} requires itself`);
  let indicators: readonly OwnedIndicator[];
  try {
    indicators = ownIndicators(id, definition.indicators ?? []);
  } catch (error) {
    throw new PluginDefinitionError(`plugin ${(error as Error).message}`);
  }
  try {
    checkReminderRules(id, definition.reminders ?? []);
  } catch (error) {
    throw new PluginDefinitionError(`plugin ${(error as Error).message}`);
  }
  for (const owner of definition.attachmentOwners ?? []) {
    for (const event of [owner.events.added, owner.events.deleted]) {
      if (!events.includes(event))
        throw new PluginDefinitionError(`plugin ${id}: attachment owner ${owner.type} records undeclared event "${event}"`);
    }
  }
  return Object.freeze({
    ...definition,
    indicators,
    attachmentOwners: Object.freeze([...(definition.attachmentOwners ?? [])]),
    reminders: Object.freeze([...(definition.reminders ?? [])]),
    requires: Object.freeze({ ...requires }),
    events: Object.freeze([...events]),
    eventRoles: definition.eventRoles ? Object.freeze({ ...definition.eventRoles }) : undefined,
  });
}
