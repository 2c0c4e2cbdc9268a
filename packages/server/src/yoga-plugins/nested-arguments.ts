import { checkNestedArguments } from '@dangjian/core';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Holds nested fields' string and date arguments (`organization { meetings(from: "1000-01-01") }`) to the
 * text and date policy root fields already follow, before execution: a parent plans a nested field's
 * arguments into its own query before the nested resolver runs, so no resolver-level guard can see them.
 * A refusal is `BAD_USER_INPUT` naming `field.argument`. The walk is planned once per schema and document.
 */
export function useNestedArgumentPolicy(): Plugin {
  const check = ({
    args,
  }: {
    args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: unknown };
  }) => checkNestedArguments(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined);
  return { onExecute: check, onSubscribe: check };
}
