import {
  createSourceEventStream,
  execute,
  getNamedType,
  getOperationAST,
  isObjectType,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * The field extension that marks a field whose value depends only on its parent object and arguments —
 * never on who asks (no viewer check, no masking, no per-viewer data). Who may receive an event at all is
 * decided before, by the subscription's own stream.
 */
export const VIEWER_INDEPENDENT = 'viewerIndependent';

const decisions = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, boolean>>>();

/**
 * Whether every field of the subscription operation (the root field and everything selected below it) is
 * viewer-independent, so that an event's result is the same for every subscriber who receives the event.
 * Abstract types and unmarked fields answer false: such operations run once per subscriber as usual.
 */
export function isViewerIndependent(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): boolean {
  let bySchema = decisions.get(schema);
  if (!bySchema) decisions.set(schema, (bySchema = new WeakMap()));
  let byDocument = bySchema.get(document);
  if (!byDocument) bySchema.set(document, (byDocument = new Map()));
  const key = operationName ?? '';
  let decision = byDocument.get(key);
  if (decision === undefined) {
    decision = decide(schema, document, operationName);
    byDocument.set(key, decision);
  }
  return decision;
}

function decide(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): boolean {
  const operation = getOperationAST(document, operationName);
  const root = schema.getSubscriptionType();
  if (!operation || operation.operation !== 'subscription' || !root) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const visiting = new Set<string>();
  const selectionOk = (type: GraphQLObjectType, selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.every((selection) => {
      switch (selection.kind) {
        case Kind.FIELD: {
          if (selection.name.value === '__typename') return true;
          const field = type.getFields()[selection.name.value];
          if (!field || field.extensions?.[VIEWER_INDEPENDENT] !== true) return false;
          if (!selection.selectionSet) return true;
          const named = getNamedType(field.type);
          return isObjectType(named) && selectionOk(named, selection.selectionSet);
        }
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
          return condition === type && selectionOk(type, selection.selectionSet);
        }
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments.get(selection.name.value);
          const name = selection.name.value;
          if (!fragment || visiting.has(name) || schema.getType(fragment.typeCondition.name.value) !== type) return false;
          visiting.add(name);
          const ok = selectionOk(type, fragment.selectionSet);
          visiting.delete(name);
          return ok;
        }
      }
    });
  return selectionOk(root, operation.selectionSet);
}

// Results per published event object (every in-process subscriber receives the very same object), per
// schema, operation and variables. They live as long as the event does.
const results = new WeakMap<object, Map<string, Promise<ExecutionResult> | ExecutionResult>>();
const ids = new WeakMap<object, number>();
let nextId = 0;
const idOf = (value: object) => {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = ++nextId));
  return id;
};

const isPromise = <T>(value: Promise<T> | T): value is Promise<T> => typeof (value as Promise<T> | null)?.then === 'function';

function executeShared(args: ExecutionArgs, key: string, payload: unknown): Promise<ExecutionResult> | ExecutionResult {
  if (typeof payload !== 'object' || payload === null) return execute({ ...args, rootValue: payload });
  let byKey = results.get(payload);
  if (!byKey) results.set(payload, (byKey = new Map()));
  const known = byKey.get(key);
  if (known) return known;
  const result = execute({ ...args, rootValue: payload }) as Promise<ExecutionResult> | ExecutionResult;
  byKey.set(key, result);
  // Subscribers reached after it settles get the result itself: no promise reaction each.
  if (isPromise(result))
    result.then(
      (settled) => byKey.set(key, settled),
      () => {},
    );
  return result;
}

/**
 * Maps a source stream to results; `return()` reaches the source at once, even while it waits. One
 * promise reaction per event when the result is ready (not an async function's several): this runs
 * once per subscriber for every event.
 */
function mapEvents(
  source: AsyncIterator<unknown>,
  map: (payload: unknown) => Promise<ExecutionResult> | ExecutionResult,
): AsyncIterableIterator<ExecutionResult> {
  const done = async () => {
    await source.return?.();
    return { done: true, value: undefined } as const;
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      return source.next().then((next): IteratorResult<ExecutionResult> | Promise<IteratorResult<ExecutionResult>> => {
        if (next.done) return { done: true, value: undefined };
        const value = map(next.value);
        return isPromise(value) ? value.then((settled) => ({ done: false, value: settled })) : { done: false, value };
      });
    },
    return: done,
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
  };
}

async function subscribeShared(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const key = `${idOf(args.schema)}:${idOf(args.document)}:${args.operationName ?? ''}:${JSON.stringify(args.variableValues ?? {})}`;
  return mapEvents(stream[Symbol.asyncIterator](), (payload) => executeShared(args, key, payload));
}

/**
 * Thousands of subscribers usually run the same subscription. When its every field is viewer-independent,
 * an event is executed once and its result handed to every subscriber that receives it, instead of once
 * per subscriber (profiled: per-subscriber execution and its garbage were most of the fan-out's CPU).
 * Which events a subscriber receives — its subtree, roles, enabled plugins, replay — is still decided per
 * subscriber by the field's own stream; other plugins' subscribe hooks and error masking still run.
 */
export function useSharedSubscriptionEvents(): Plugin {
  return {
    onSubscribe({ args, setSubscribeFn }) {
      if (isViewerIndependent(args.schema, args.document, args.operationName)) setSubscribeFn(subscribeShared as never);
    },
  };
}
