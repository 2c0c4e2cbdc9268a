import type { GraphQLSchema } from 'graphql';
import { createBuilder } from './builder.ts';
import { coreSchemaModules, type SchemaModule } from './schema/modules.ts';

/** Builds the executable schema: the core modules, then any extra modules (plugins, tests) in order. */
export function buildSchema(extra: readonly SchemaModule[] = []): GraphQLSchema {
  const builder = createBuilder();
  for (const register of [...coreSchemaModules, ...extra]) register(builder);
  return builder.toSchema({ sortSchema: true });
}
