import {
  getOperationAST,
  type ArgumentNode,
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

function pickOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  pick: 'executed' | 'first',
): OperationDefinitionNode | null {
  if (pick === 'executed') return getOperationAST(document, operationName) ?? null;
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return (operationName ? operations.find((o) => o.name?.value === operationName) : operations[0]) ?? null;
}

/** A root field as written: its arguments are read against each request's variables. */
interface WrittenRootField {
  responseKey: string;
  name: string;
  arguments: readonly ArgumentNode[];
}

interface WrittenOperation {
  operation: OperationDefinitionNode;
  fields: readonly WrittenRootField[];
}

// Yoga's parser cache hands the same document object for the same text, and rate limiting asks on every
// request: the walk is done once per (document, operation picked). Variables do not change the walk
// (`@skip`/`@include` are not evaluated), only the arguments' values, which are read per call.
const walked = new WeakMap<DocumentNode, Map<string, WrittenOperation>>();

function walk(document: DocumentNode, operationName: string | null | undefined, pick: 'executed' | 'first'): WrittenOperation | null {
  let byOperation = walked.get(document);
  if (!byOperation) {
    byOperation = new Map();
    walked.set(document, byOperation);
  }
  // No name and an empty name differ (as executed, an empty name picks nothing).
  const key = operationName == null ? pick : `${pick}:${operationName}`;
  const known = byOperation.get(key);
  if (known) return known;
  const operation = pickOperation(document, operationName, pick);
  const found = operation ? { operation, fields: writtenRootFields(document, operation) } : null;
  // `operationName` comes from the client: names the document declares are few, unknown ones are not kept.
  if (found) byOperation.set(key, found);
  return found;
}

function writtenRootFields(document: DocumentNode, operation: OperationDefinitionNode): WrittenRootField[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fields: WrittenRootField[] = [];
  // A fragment spread twice at the root runs its fields once (graphql merges them): visit it once. This
  // also ends a cycle, which validation refuses anyway.
  const spread = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        fields.push({
          responseKey: selection.alias?.value ?? selection.name.value,
          name: selection.name.value,
          arguments: selection.arguments ?? [],
        });
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
  return fields;
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
  const written = picked(document, operationName, options);
  if (!written) return null;
  const variables = (options.variables ?? undefined) as Record<string, unknown> | undefined;
  const fields = written.fields.map(({ responseKey, name, arguments: argumentNodes }) => {
    const args: Record<string, unknown> = {};
    for (const arg of argumentNodes) args[arg.name.value] = valueFromASTUntyped(arg.value, variables);
    return { responseKey, name, args };
  });
  return { operation: written.operation, fields };
}

/** The names of the fields `operationRootFields` gives, without reading their arguments (for counting runs). */
export function operationRootFieldNames(
  document: DocumentNode,
  operationName: string | null | undefined,
  options: Omit<RootFieldOptions, 'variables'> = {},
): string[] | null {
  return picked(document, operationName, options)?.fields.map((f) => f.name) ?? null;
}

function picked(
  document: DocumentNode,
  operationName: string | null | undefined,
  options: Omit<RootFieldOptions, 'variables'>,
): WrittenOperation | null {
  const written = walk(document, operationName, options.pick ?? 'executed');
  return written && (!options.only || written.operation.operation === options.only) ? written : null;
}
