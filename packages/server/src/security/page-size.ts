import { Kind, valueFromASTUntyped, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { InputError, MAX_PAGE_SIZE } from '@dangjian/core';

/** The first `first`/`last` argument above the maximum page size, as `field.arg`, or null. */
export function oversizedPage(document: DocumentNode, variables: Record<string, unknown> | undefined, max = MAX_PAGE_SIZE): string | null {
  let found: string | null = null;
  visit(document, {
    Field(field) {
      for (const arg of field.arguments ?? []) {
        if (found || (arg.name.value !== 'first' && arg.name.value !== 'last')) continue;
        const value = arg.value.kind === Kind.VARIABLE ? variables?.[arg.value.name.value] : valueFromASTUntyped(arg.value);
        if (typeof value === 'number' && (value > max || value < 0)) found = `${field.name.value}.${arg.name.value}`;
      }
    },
  });
  return found;
}

/** Rejects a page larger than the maximum before execution: an input error naming the argument. */
export function usePageSizeLimit(max = MAX_PAGE_SIZE): Plugin {
  return {
    onExecute({ args }) {
      const field = oversizedPage(args.document, args.variableValues as Record<string, unknown> | undefined, max);
      if (field) throw new InputError(field, `a page holds at most ${max} items`);
    },
    onSubscribe({ args }) {
      const field = oversizedPage(args.document, args.variableValues as Record<string, unknown> | undefined, max);
      if (field) throw new InputError(field, `a page holds at most ${max} items`);
    },
  };
}
