import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import type { Context } from '../context.ts';
import { openCursor, sealCursor } from './cursor-seal.ts';

const PLUGIN_NAME = 'sealedCursors';

/** The Relay connection arguments: a field taking all four is a connection, whoever wrote it. */
const CONNECTION_ARGS = ['first', 'last', 'after', 'before'] as const;

function isConnectionField(config: PothosOutputFieldConfig<SchemaTypes>): boolean {
  return CONNECTION_ARGS.every((name) => name in config.args);
}

interface EdgeLike {
  cursor?: unknown;
}
interface ConnectionLike {
  edges?: (EdgeLike | null)[] | null;
  pageInfo?: { startCursor?: unknown; endCursor?: unknown } | null;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Seals the cursors a connection result carries, in place (Pothos builds a fresh result per field), when
 * they are read: a cursor is an HMAC, and a nested read that selects no cursor (scenario 2's 5,880 member
 * edges) paid one per edge — ~6 % of its CPU with the garbage (bench/RESULTS.md, issue 28). Edge and page
 * info fields are `expose`d, so the GraphQL field reads the property and runs the getter.
 */
function sealResult(result: unknown, ctx: Context, coordinate: string): unknown {
  if (result === null || typeof result !== 'object') return result;
  const connection = result as ConnectionLike;
  for (const edge of connection.edges ?? []) if (edge) sealLazily(edge, 'cursor', ctx, coordinate);
  if (connection.pageInfo) {
    sealLazily(connection.pageInfo, 'startCursor', ctx, coordinate);
    sealLazily(connection.pageInfo, 'endCursor', ctx, coordinate);
  }
  return result;
}

/** Replaces `holder[key]`, a raw cursor, by a getter sealing it once on first read. */
function sealLazily(holder: object, key: string, ctx: Context, coordinate: string): void {
  const raw = (holder as Record<string, unknown>)[key];
  if (typeof raw !== 'string') return;
  let sealed: string | undefined;
  Object.defineProperty(holder, key, {
    configurable: true,
    enumerable: true,
    get: () => (sealed ??= sealCursor(ctx, coordinate, raw)),
  });
}

/**
 * Every connection of the schema — core's and any plugin's, at the root or nested — hands out sealed
 * cursors and accepts only those (see cursor-seal.ts for why). It is a builder plugin rather than a rule
 * for each list so that a list written tomorrow cannot forget it: `after`/`before` are opened by an
 * argument mapper, which Pothos applies both when the field resolves and when a parent plans the nested
 * page into its own query, so no unsealed cursor reaches Prisma or SQL by either road.
 */
export class PothosSealedCursorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (!isConnectionField(fieldConfig as PothosOutputFieldConfig<SchemaTypes>)) return fieldConfig;
    const coordinate = `${fieldConfig.parentType}.${fieldConfig.name}`;
    return {
      ...fieldConfig,
      argMappers: [
        ...(fieldConfig.argMappers ?? []),
        (args: Record<string, unknown>, context: object) => {
          if (args.after == null && args.before == null) return args;
          const ctx = context as Context;
          const opened = { ...args };
          if (args.after != null) opened.after = openCursor(ctx, coordinate, args.after, 'after');
          if (args.before != null) opened.before = openCursor(ctx, coordinate, args.before, 'before');
          return opened;
        },
      ],
    };
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (!isConnectionField(fieldConfig as PothosOutputFieldConfig<SchemaTypes>)) return resolver;
    const coordinate = `${fieldConfig.parentType}.${fieldConfig.name}`;
    return (parent, args, context, info) => {
      const result = resolver(parent, args, context, info);
      const ctx = context as unknown as Context;
      return isPromiseLike(result)
        ? Promise.resolve(result).then((r) => sealResult(r, ctx, coordinate))
        : sealResult(result, ctx, coordinate);
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      sealedCursors: PothosSealedCursorsPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(PLUGIN_NAME, PothosSealedCursorsPlugin);

export default PLUGIN_NAME;
