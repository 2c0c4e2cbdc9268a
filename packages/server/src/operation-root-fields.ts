import {
  getOperationAST,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type OperationTypeNode,
  type SelectionSetNode,
} from 'graphql';

/** A root field an operation runs. */
export interface RootField {
  /** Where its value stands in the response: the alias, or the field name. */
  responseKey: string;
  name: string;
  /** The arguments written in the document, variables resolved (an unset variable is `undefined`). */
  args: Record<string, unknown>;
}

export interface RootFieldOptions {
  /** The request's variables; without them every variable in an argument reads as `undefined`. */
  variables?: Readonly<Record<string, unknown>> | null;
  /**
   * Which operation a document with several answers when no `operationName` is given:
   * - `'executed'` (default): the one graphql-js executes — the only operation, or none when there are several;
   * - `'first'`: the first one (an empty `operationName` counts as none given).
   */
  pick?: 'executed' | 'first';
  /** Only this type of operation: the answer is null for another (its fields are not walked). */
  only?: `${OperationTypeNode}`;
}

function pickOperation(document: DocumentNode, operationName: string | null | undefined, pick: 'executed' | 'first'): OperationDefinitionNode | null {
  if (pick === 'executed') return getOperationAST(document, operationName) ?? null;
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return (operationName ? operations.find((o) => o.name?.value === operationName) : operations[0]) ?? null;
}

/**
 * The operation `operationName` selects in `document`, and its root fields in document order: fields in
 * inline fragments and named fragment spreads at the root count as root fields (a mutation written inside
 * `...Named` runs like any other, so it must be audited, rate-limited and keyed like any other), each alias
 * is a field of its own, introspection fields (`__typename`, `__schema`, …) are left out. `@skip`/`@include`
 * are not evaluated: a skipped field is counted, never missed. Null when the document has no such
 * operation (or it is not of the type `only` asks for).
 */
export function operationRootFields(
  document: DocumentNode,
  operationName: string | null | undefined,
  options: RootFieldOptions = {},
): { operation: OperationDefinitionNode; fields: RootField[] } | null {
  const operation = pickOperation(document, operationName, options.pick ?? 'executed');
  if (!operation || (options.only && operation.operation !== options.only)) return null;
  const variables = (options.variables ?? undefined) as Record<string, unknown> | undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fields: RootField[] = [];
  // A fragment spread twice at the root runs its fields once (graphql merges them): visit it once. This
  // also ends a cycle, which validation refuses anyway.
  const spread = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const args: Record<string, unknown> = {};
        for (const arg of selection.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value, variables);
        fields.push({ responseKey: selection.alias?.value ?? selection.name.value, name: selection.name.value, args });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spread.has(selection.name.value)) continue;
        spread.add(selection.name.value);
        visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return { operation, fields };
}
