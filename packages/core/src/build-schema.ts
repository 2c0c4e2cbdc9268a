import type { GraphQLSchema } from 'graphql';
import { createBuilder } from './builder.ts';
import { guardTextArguments } from './kit/validate/guard.ts';
import { coreSchemaModules, type SchemaModule } from './schema/modules.ts';

/** Builds the executable schema: the core modules, then any extra modules (plugins, tests) in order. */
export function buildSchema(extra: readonly SchemaModule[] = []): GraphQLSchema {
  const builder = createBuilder();
  for (const register of [...coreSchemaModules, ...extra]) register(builder);
  return guardTextArguments(builder.toSchema({ sortSchema: true }));
}
