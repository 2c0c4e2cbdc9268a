import { CriticalityLevel, diff } from '@graphql-inspector/core';
import {
  buildSchema,
  extendSchema,
  GraphQLObjectType,
  isObjectType,
  lexicographicSortSchema,
  parse,
  printSchema,
  printType,
  type GraphQLSchema,
} from 'graphql';
import semver from 'semver';
import type { AnyPlugin, SchemaSet } from '@dangjian/core';

/** Every plugin `id` requires, transitively (not `core`, not itself). */
function dependencies(id: string, set: SchemaSet): string[] {
  const byId = new Map(set.plugins.map((p) => [p.id, p]));
  const out = new Set<string>();
  const walk = (pid: string) => {
    for (const dep of Object.keys(byId.get(pid)?.requires ?? {})) {
      if (dep !== 'core' && !out.has(dep)) {
        out.add(dep);
        walk(dep);
      }
    }
  };
  walk(id);
  return [...out];
}

/**
 * The SDL a plugin contributes: its own types, and `extend type` blocks for the fields it adds to core's
 * or other plugins' types — headed by the plugin's id and version, so a snapshot says what it is of.
 */
export function pluginSdl(set: SchemaSet, plugin: AnyPlugin): string {
  const owned = [...set.owners].filter(([, owner]) => owner === plugin.id).map(([key]) => key);
  const types = owned.filter((k) => !k.includes('.')).sort();
  const extensions = new Map<string, string[]>();
  for (const key of owned.filter((k) => k.includes('.'))) {
    const [type, field] = key.split('.') as [string, string];
    if (types.includes(type)) continue;
    extensions.set(type, [...(extensions.get(type) ?? []), field]);
  }
  const parts = types.map((name) => printType(set.full.getType(name)!));
  for (const [typeName, fields] of [...extensions].sort(([a], [b]) => a.localeCompare(b))) {
    const type = set.full.getType(typeName);
    if (!type || !isObjectType(type)) continue;
    const config = type.toConfig();
    const only = new GraphQLObjectType({
      ...config,
      interfaces: [],
      fields: Object.fromEntries(
        Object.entries(config.fields)
          .filter(([f]) => fields.includes(f))
          .sort(([a], [b]) => a.localeCompare(b)),
      ),
    });
    parts.push(printType(only).replace(/^(""".*?"""\n|".*?"\n)?type /s, 'extend type '));
  }
  return `# ${plugin.id} ${plugin.version}\n\n${parts.join('\n\n')}\n`;
}

/** What changed between a plugin's committed snapshot and its current schema. */
export interface SnapshotCheck {
  snapshotVersion: string;
  changed: boolean;
  breaking: string[];
  /** Why the change may not be published as it is, or null when it may. */
  problem: string | null;
}

/**
 * Compares a plugin's committed snapshot (its last release) with what the code contributes now. A
 * breaking change needs a new major version; any change needs a new version.
 */
export async function checkSnapshot(set: SchemaSet, plugin: AnyPlugin, snapshot: string): Promise<SnapshotCheck> {
  const header = /^# (\S+) (\S+)\n/.exec(snapshot);
  if (!header || header[1] !== plugin.id || !semver.valid(header[2])) {
    return {
      snapshotVersion: '?',
      changed: true,
      breaking: [],
      problem: `schema/${plugin.id}.graphql has no "# ${plugin.id} <version>" header`,
    };
  }
  const snapshotVersion = header[2]!;
  const current = pluginSdl(set, plugin);
  if (current === snapshot) {
    return { snapshotVersion, changed: false, breaking: [], problem: null };
  }
  const deps = dependencies(plugin.id, set);
  const base = set.schemaFor(deps);
  let before: GraphQLSchema;
  const body = snapshot.slice(header[0].length);
  try {
    // A plugin that contributed nothing has an empty snapshot: its schema was the base alone.
    before = body.trim() ? extendSchema(base, parse(body), { assumeValidSDL: true }) : base;
  } catch (error) {
    return {
      snapshotVersion,
      changed: true,
      breaking: [],
      problem: `schema/${plugin.id}.graphql does not apply to the current core: ${(error as Error).message}`,
    };
  }
  return { snapshotVersion, ...(await judge(plugin.id, plugin.version, snapshotVersion, before, set.schemaFor([...deps, plugin.id]))) };
}

/** The verdict on a changed schema: breaking changes need a new major version, any change a new version. */
async function judge(
  id: string,
  version: string,
  snapshotVersion: string,
  before: GraphQLSchema,
  after: GraphQLSchema,
): Promise<Omit<SnapshotCheck, 'snapshotVersion'>> {
  const changes = await diff(before, after);
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking).map((c) => c.message);
  let problem: string | null = null;
  if (breaking.length && semver.major(version) <= semver.major(snapshotVersion)) {
    problem = `${id} ${version} makes breaking changes to its ${snapshotVersion} schema without a new major version: ${breaking.join('; ')}`;
  } else if (semver.lte(version, snapshotVersion)) {
    problem = `${id} changed its schema but is still version ${version}: add a changeset and bump the version`;
  }
  return { changed: true, breaking, problem };
}

/** Core's published SDL (`schema/core.graphql`): the schema with no plugin, sorted, headed by core's version. */
export function coreSdl(set: SchemaSet, version: string): string {
  return `# core ${version}\n\n${printSchema(lexicographicSortSchema(set.schemaFor([])))}`;
}

/**
 * Compares core's committed snapshot (its last release) with core's schema now, by the plugins' rule: a
 * breaking change needs a new major version of `@dangjian/core`, any change a new version.
 */
export async function checkCoreSnapshot(set: SchemaSet, snapshot: string, version: string): Promise<SnapshotCheck> {
  const header = /^# (\S+) (\S+)\n/.exec(snapshot);
  if (header?.[1] !== 'core' || !semver.valid(header[2])) {
    return { snapshotVersion: '?', changed: true, breaking: [], problem: 'schema/core.graphql has no "# core <version>" header' };
  }
  const snapshotVersion = header[2]!;
  if (coreSdl(set, version) === snapshot) {
    return { snapshotVersion, changed: false, breaking: [], problem: null };
  }
  let before: GraphQLSchema;
  try {
    before = buildSchema(snapshot.slice(header[0].length), { assumeValidSDL: true });
  } catch (error) {
    return { snapshotVersion, changed: true, breaking: [], problem: `schema/core.graphql does not parse: ${(error as Error).message}` };
  }
  return { snapshotVersion, ...(await judge('core', version, snapshotVersion, before, set.schemaFor([]))) };
}
