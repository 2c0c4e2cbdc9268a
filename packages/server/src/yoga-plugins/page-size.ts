import { Kind, valueFromASTUntyped, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { InputError, MAX_PAGE_SIZE } from '@dangjian/core';

interface PageArgument {
  /** `field.arg`, as the error names it. */
  label: string;
  value: ValueNode;
}

// Yoga's parser cache hands the same document object for the same text, so a document is walked once
// rather than on every request (the walk was 2 % of a small query's CPU).
const pageArgumentsOf = new WeakMap<DocumentNode, readonly PageArgument[]>();

function pageArguments(document: DocumentNode): readonly PageArgument[] {
  let found = pageArgumentsOf.get(document);
  if (!found) {
    const list: PageArgument[] = [];
    visit(document, {
      Field(field) {
        for (const arg of field.arguments ?? []) {
          if (arg.name.value === 'first' || arg.name.value === 'last')
            list.push({ label: `${field.name.value}.${arg.name.value}`, value: arg.value });
        }
      },
    });
    found = list;
    pageArgumentsOf.set(document, found);
  }
  return found;
}

/** The first `first`/`last` argument above the maximum page size, as `field.arg`, or null. */
export function oversizedPage(document: DocumentNode, variables: Record<string, unknown> | undefined, max = MAX_PAGE_SIZE): string | null {
  for (const { label, value: node } of pageArguments(document)) {
    const value = node.kind === Kind.VARIABLE ? variables?.[node.name.value] : valueFromASTUntyped(node);
    if (typeof value === 'number' && (value > max || value < 0)) return label;
  }
  return null;
}

/** Rejects a page larger than the maximum before execution: an input error naming the argument. */
export function usePageSizeLimit(max = MAX_PAGE_SIZE): Plugin {
  const refuseOversized = ({ args }: { args: { document: DocumentNode; variableValues?: unknown } }) => {
    const field = oversizedPage(args.document, args.variableValues as Record<string, unknown> | undefined, max);
    if (field) throw new InputError(field, `a page holds at most ${max} items`);
  };
  return { onExecute: refuseOversized, onSubscribe: refuseOversized };
}
