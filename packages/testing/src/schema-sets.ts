import { CORE_VERSION, createSchemaSet, type AnyPlugin, type SchemaModule, type SchemaSet } from '@dangjian/core';

const ids = new WeakMap<object, number>();
let nextId = 0;
const idOf = (value: object) => {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = nextId++));
  return id;
};

const built = new Map<string, SchemaSet>();

/**
 * `createSchemaSet` shared by every server a test worker starts with the same plugin and module objects:
 * building the schema (once for core and once more per plugin) was half of a test server's start-up CPU,
 * repeated by each of ~150 test files (workers run their files one after another in one module graph).
 * Keyed by object identity, so a test's own plugin or module never meets another test's of the same name.
 */
export function sharedSchemaSet(plugins: readonly AnyPlugin[], modules: readonly SchemaModule[] | undefined): SchemaSet {
  const key = `${plugins.map(idOf).join(',')}|${(modules ?? []).map(idOf).join(',')}`;
  let set = built.get(key);
  if (!set) {
    set = createSchemaSet(plugins, { coreVersion: CORE_VERSION, modules });
    built.set(key, set);
  }
  return set;
}
