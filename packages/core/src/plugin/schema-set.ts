import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { isInputObjectType, isInterfaceType, isObjectType, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import { buildSchema } from '../build-schema.ts';
import type { SchemaModule } from '../schema/modules.ts';
import { createPluginApi } from './api.ts';
import type { AnyPlugin } from './define.ts';
import { orderPlugins, PluginRegistryError } from './order.ts';

/** The loaded plugins' schemas: the full one, who contributed what, and one schema per enabled set. */
export interface SchemaSet {
  /** Loaded plugins in dependency order. */
  readonly plugins: readonly AnyPlugin[];
  /** The schema with every loaded plugin. */
  readonly full: GraphQLSchema;
  /** Owner plugin of each contributed type (`Brand`) or field on another's type (`Query.brands`). */
  readonly owners: ReadonlyMap<string, string>;
  /** The schema for a set of enabled plugin ids, derived once per distinct set and then cached. */
  schemaFor(enabled: Iterable<string>): GraphQLSchema;
  /** How many per-set schemas have been derived so far (the cache's misses). */
  readonly derived: number;
  /** Milliseconds spent building the plugin schemas at start-up. */
  readonly buildMs: number;
}

function pluginModule(plugin: AnyPlugin): SchemaModule {
  const api = createPluginApi(plugin.id, plugin.events);
  return (builder) => plugin.register(builder, api);
}

/** Types, and fields added to existing types, that `next` has and `prev` lacks. */
function contributions(prev: GraphQLSchema, next: GraphQLSchema): string[] {
  const added: string[] = [];
  for (const [name, type] of Object.entries(next.getTypeMap())) {
    if (name.startsWith('__')) continue;
    const before = prev.getType(name);
    if (!before) {
      added.push(name);
      continue;
    }
    if (
      (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) &&
      (isObjectType(before) || isInterfaceType(before) || isInputObjectType(before))
    ) {
      const existing = before.getFields();
      for (const field of Object.keys(type.getFields())) if (!(field in existing)) added.push(`${name}.${field}`);
    }
  }
  return added;
}

/** Turns Pothos's duplicate-definition errors into ones naming both plugins. */
function duplicateError(error: unknown, plugin: AnyPlugin, owners: ReadonlyMap<string, string>): Error {
  const message = error instanceof Error ? error.message : String(error);
  const type = /Duplicate typename: Another type with name (\w+) already exists/.exec(message);
  const field = /Duplicate field (\w+) on (\w+)/.exec(message);
  const key = type ? type[1]! : field ? `${field[2]}.${field[1]}` : null;
  if (key === null) return new PluginRegistryError(`plugin ${plugin.id} failed to register: ${message}`);
  const owner = owners.get(key) ?? 'core';
  return new PluginRegistryError(
    `plugin ${plugin.id} defines ${key}, which ${owner === 'core' ? 'core' : `plugin ${owner}`} already defines`,
  );
}

/** The typename of a Relay global ID, or null when it is not one. */
function typenameOf(globalId: unknown): string | null {
  if (typeof globalId !== 'string') return null;
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : null;
}

/**
 * `node` / `nodes` of a department's schema answer null for IDs of types its disabled plugins own — as
 * for any object the viewer cannot see — instead of failing on a type the schema does not have.
 */
function hideNodesOf(field: GraphQLFieldConfig<unknown, unknown>, hidden: (name: string) => boolean): GraphQLFieldConfig<unknown, unknown> {
  const resolve = field.resolve;
  if (!resolve) return field;
  return {
    ...field,
    resolve: async (source, args, context, info) => {
      const { id, ids } = args as { id?: unknown; ids?: unknown[] };
      if (ids === undefined) {
        const type = typenameOf(id);
        return type && hidden(type) ? null : resolve(source, args, context, info);
      }
      const visible = ids.map((i) => {
        const type = typenameOf(i);
        return !(type && hidden(type));
      });
      const results = (await resolve(source, { ...args, ids: ids.filter((_, n) => visible[n]) }, context, info)) as unknown[];
      let next = 0;
      return visible.map((shown) => (shown ? results[next++] : null));
    },
  };
}

/**
 * Orders and checks the plugins, then builds the schema one plugin at a time: each step tells which
 * types and fields that plugin contributed (so any enabled set is the full schema minus the others'
 * contributions) and catches two plugins defining the same name, naming both.
 */
export function createSchemaSet(
  plugins: readonly AnyPlugin[],
  options: { coreVersion: string; modules?: readonly SchemaModule[] },
): SchemaSet {
  const started = performance.now();
  const ordered = orderPlugins(plugins, options.coreVersion);
  const base = [...(options.modules ?? [])];
  const owners = new Map<string, string>();
  let current = buildSchema(base);
  for (const name of Object.keys(current.getTypeMap())) owners.set(name, 'core');
  const registered: SchemaModule[] = [];
  for (const plugin of ordered) {
    const module = pluginModule(plugin);
    let next: GraphQLSchema;
    try {
      next = buildSchema([...base, ...registered, module]);
    } catch (error) {
      throw duplicateError(error, plugin, owners);
    }
    for (const key of contributions(current, next)) owners.set(key, plugin.id);
    registered.push(module);
    current = next;
  }
  for (const [key, owner] of [...owners]) if (owner === 'core') owners.delete(key);
  const full = current;
  const buildMs = performance.now() - started;

  const cache = new Map<string, GraphQLSchema>();
  let derived = 0;
  const all = new Set(ordered.map((p) => p.id));
  return {
    plugins: ordered,
    full,
    owners,
    buildMs,
    get derived() {
      return derived;
    },
    schemaFor(enabledIds) {
      const enabled = new Set([...enabledIds].filter((id) => all.has(id)));
      const key = [...enabled].sort().join(',');
      const hit = cache.get(key);
      if (hit) return hit;
      const hidden = (name: string) => {
        const owner = owners.get(name);
        return owner !== undefined && !enabled.has(owner);
      };
      const schema =
        enabled.size === all.size
          ? full
          : mapSchema(full, {
              [MapperKind.TYPE]: (type) => (hidden(type.name) ? null : type),
              [MapperKind.COMPOSITE_FIELD]: (field, name, typeName) => {
                if (hidden(`${typeName}.${name}`)) return null;
                if (typeName === full.getQueryType()?.name && (name === 'node' || name === 'nodes')) return hideNodesOf(field, hidden);
                return field;
              },
              [MapperKind.INPUT_OBJECT_FIELD]: (field, name, typeName) => (hidden(`${typeName}.${name}`) ? null : field),
            });
      derived++;
      cache.set(key, schema);
      return schema;
    },
  };
}
