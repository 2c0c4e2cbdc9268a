import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { argumentsChecker, type Check } from './guard.ts';

/** A nested field of a document whose arguments carry strings or dates, with its checker. */
interface GuardedField {
  node: FieldNode;
  def: GraphQLField<unknown, unknown>;
  check: (args: Record<string, unknown>) => void;
}

type ArgumentsCheck = ((args: Record<string, unknown>) => void) | null;

// Per schema (each department has its own): the checker of each field, built once.
const checkersOf = new WeakMap<
  GraphQLSchema,
  { seen: Map<string, Check | null>; byField: Map<GraphQLField<unknown, unknown>, ArgumentsCheck> }
>();
// Per schema and document (yoga's parser cache hands the same document object for the same text): the
// guarded fields of each operation, so a repeated request walks nothing.
const plans = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, readonly GuardedField[]>>>();

function checkerFor(schema: GraphQLSchema, def: GraphQLField<unknown, unknown>): ArgumentsCheck {
  let state = checkersOf.get(schema);
  if (!state) {
    state = { seen: new Map(), byField: new Map() };
    checkersOf.set(schema, state);
  }
  if (!state.byField.has(def))
    state.byField.set(def, def.args.length === 0 ? null : argumentsChecker(def.args, state.seen, `${def.name}.`));
  return state.byField.get(def) ?? null;
}

/** The nested (non-root) fields of the operation whose arguments hold strings or dates. */
function plan(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): readonly GuardedField[] {
  let byDocument = plans.get(schema);
  if (!byDocument) {
    byDocument = new WeakMap();
    plans.set(schema, byDocument);
  }
  let byOperation = byDocument.get(document);
  if (!byOperation) {
    byOperation = new Map();
    byDocument.set(document, byOperation);
  }
  const key = operationName ?? '';
  const known = byOperation.get(key);
  if (known) return known;

  const found: GuardedField[] = [];
  const operation = getOperationAST(document, operationName);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  const visited = new Set<string>();

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | null | undefined) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const fields = parent && (isObjectType(parent) || isInterfaceType(parent)) ? (parent as GraphQLObjectType).getFields() : null;
        const def = fields?.[selection.name.value];
        if (!def) continue; // __typename, or a field validation has already refused
        // Root fields are guarded in their resolvers (guardTextArguments); a nested field's arguments are
        // planned into its parent's query before its own resolver runs, so they are checked here.
        if (!roots.has(parent as GraphQLObjectType)) {
          const check = checkerFor(schema, def);
          if (check) found.push({ node: selection, def, check });
        }
        if (selection.selectionSet) walk(selection.selectionSet, getNamedType(def.type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, type);
      } else {
        const fragment = fragments.get(selection.name.value);
        // Each fragment once per operation: its fields are the same wherever it is spread.
        if (!fragment || visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  if (operation) {
    const root = schema.getRootType(operation.operation);
    if (root && !isAbstractType(root)) walk(operation.selectionSet, root);
  }
  byOperation.set(key, found);
  return found;
}

/**
 * Holds the arguments of nested fields (`organization { meetings(from: …) }`) to the same text and date
 * policy as root fields' ({@link guardTextArguments}), before execution: throws the first refusal, an
 * `InputError` naming the field and the argument path as the client wrote them (`meetings.from`), as the
 * page-size limit does. A field whose arguments cannot be
 * coerced at all is left to the executor, which reports that itself.
 */
export function checkNestedArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): void {
  const fields = plan(schema, document, operationName);
  if (fields.length === 0) return;
  // The request's variables are still as sent (JSON): coerce them as the executor will, so a `Date`
  // inside an input object is a Date here too.
  const operation = getOperationAST(document, operationName);
  const coerced = operation ? getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}) : null;
  if (!coerced?.coerced) return;
  for (const field of fields) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field.def, field.node, coerced.coerced);
    } catch {
      continue;
    }
    field.check(args);
  }
}
