import type PrismaTypes from '@dangjian/db/pothos-types';
import { getDatamodel } from '@dangjian/db/pothos-types';
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SealedCursorsPlugin from './pagination/sealed-cursors-plugin.ts';
import type { Role } from './auth/viewer.ts';
import type { Context } from './context.ts';
import { ForbiddenError, UnauthenticatedError } from './errors/errors.ts';

/** The largest page any connection returns. */
export const MAX_PAGE_SIZE = 100;

/** The type parameters of the one schema builder core and plugins share. */
export interface BuilderTypes {
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { authenticated: boolean; role: Role };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: { toString(): string } | string };
    JSON: { Input: unknown; Output: unknown };
    /** An upload (GraphQL multipart request spec): input only. */
    File: { Input: unknown; Output: never };
  };
  DefaultFieldNullability: false;
}

/**
 * Makes a fresh builder. A factory rather than a module singleton, so that each server (and each test)
 * builds the schema of exactly the plugins it loads.
 */
export function createBuilder() {
  return new SchemaBuilder<BuilderTypes>({
    // Sealed cursors last: its resolver wrapper sits closest to the connection's own resolver.
    plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin, SealedCursorsPlugin],
    defaultFieldNullability: false,
    scopeAuth: {
      authScopes: (ctx) => ({
        authenticated: ctx.viewer !== null,
        role: (role) => ctx.viewer?.roles.includes(role) ?? false,
      }),
      unauthorizedError: (_parent, ctx, _info, result) =>
        ctx.viewer === null ? new UnauthenticatedError() : new ForbiddenError(result.message),
    },
    prisma: {
      client: (ctx) => ctx.db,
      dmmf: getDatamodel(),
      exposeDescriptions: false,
      filterConnectionTotalCount: true,
      onUnusedQuery: null,
      // Pages are bounded; the server rejects a larger `first`/`last` before execution (an input
      // error, not a silently shorter page), so this is only the backstop.
      defaultConnectionSize: 50,
      maxConnectionSize: MAX_PAGE_SIZE,
    },
    relay: {
      clientMutationId: 'omit',
      cursorType: 'String',
      nodeQueryOptions: { description: '按全局 ID 取对象 — fetch any object by its global ID' },
      nodesQueryOptions: { description: '按全局 ID 批量取对象 — fetch objects by global IDs' },
      nodeTypeOptions: { description: '对象 — anything with a global ID (Relay Node)' },
      pageInfoTypeOptions: { description: '分页信息 — Relay cursor pagination state' },
      defaultConnectionTypeOptions: { description: '分页列表 — a page of results (Relay connection)' },
      defaultEdgeTypeOptions: { description: '分页项 — one result with its cursor (Relay edge)' },
    },
  });
}

/** The builder type plugins register into. */
export type Builder = ReturnType<typeof createBuilder>;
