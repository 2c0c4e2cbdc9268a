import {
  GraphQLError,
  getOperationAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type Source,
  type SourceLocation,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

/** Which documents run compiled: trusted ones (the default), every query and mutation (tests), or none. */
export type CompiledExecutionMode = 'trusted' | 'all' | 'off';

export interface CompiledExecutionOptions {
  mode: CompiledExecutionMode;
  /** Whether a parsed document is one of the server's trusted documents (the manifest's own DocumentNode). */
  isTrusted(document: DocumentNode): boolean;
}

/** The plugin, and how many executions ran compiled (tests and operators read it). */
export interface CompiledExecutionPlugin extends Plugin {
  executions(): number;
}

/** A compiled operation, or null when graphql-jit refused it (that document runs on graphql-js). */
type Compiled = CompiledQuery | null;

/**
 * Runs trusted documents with graphql-jit: each (department schema, document, operation) is compiled once,
 * on its first execution, into a function that calls the same Pothos resolvers graphql-js would, so
 * authorization, the audit trail, limits and masking apply unchanged (they are resolvers, validation rules
 * and envelop hooks around execute, not part of it). Everything else — ad-hoc text, subscriptions, a
 * document graphql-jit cannot compile — runs on graphql-js. Caches are weak on the schema and document:
 * a department schema rebuilt after a plugin is enabled, or a document yoga's parse cache lets go, takes
 * its compiled code with it.
 *
 * Trusted documents only, by default, because compiling costs milliseconds and memory per document: the
 * manifest bounds how many there are, and ad-hoc text does not. `mode: 'all'` compiles every query and
 * mutation (DANGJIAN_COMPILED_EXECUTION=all), which the application tests use to run under the compiled
 * path; `off` turns it off.
 */
export function useCompiledExecution(options: CompiledExecutionOptions): CompiledExecutionPlugin {
  let executions = 0;
  const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, Compiled>>>();

  const compiledFor = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): Compiled => {
    let bySchema = cache.get(schema);
    if (!bySchema) {
      bySchema = new WeakMap();
      cache.set(schema, bySchema);
    }
    let byOperation = bySchema.get(document);
    if (!byOperation) {
      byOperation = new Map();
      bySchema.set(document, byOperation);
    }
    const key = operationName ?? '';
    let compiled = byOperation.get(key);
    if (compiled === undefined) {
      compiled = compile(schema, document, operationName);
      byOperation.set(key, compiled);
    }
    return compiled;
  };

  return {
    executions: () => executions,
    onExecute({ args, setExecuteFn }) {
      if (options.mode === 'off') return;
      if (options.mode === 'trusted' && !options.isTrusted(args.document)) return;
      const compiled = compiledFor(args.schema, args.document, args.operationName);
      if (!compiled) return;
      setExecuteFn((execution) => {
        executions++;
        const result = compiled.query(execution.rootValue, execution.contextValue, execution.variableValues ?? {});
        return isPromise(result)
          ? result.then((done) => asGraphQLJsResult(done, execution.document))
          : asGraphQLJsResult(result, execution.document);
      });
    },
  };
}

function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): Compiled {
  const operation = getOperationAST(document, operationName);
  // Subscriptions go through subscribe, which this does not replace; an unknown operation name is
  // graphql-js's error to report.
  if (!operation || operation.operation === 'subscription') return null;
  const compiled = compileQuery(schema, document, operationName ?? undefined);
  return isCompiledQuery(compiled) ? compiled : null;
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => typeof (value as Promise<T>)?.then === 'function';

/**
 * graphql-jit's errors carry `locations` but neither AST `nodes` nor source positions, and yoga rebuilds
 * every error from `nodes`/`source`/`positions` when it serializes the response — a jit error would lose
 * its locations there. Rebuilt as graphql-js GraphQLErrors with the document's source and the positions
 * of those locations, so masking (which keeps a typed error's `extensions.code` and replaces anything
 * else) and the response read exactly as they do for a document run on graphql-js.
 */
function asGraphQLJsResult(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  if (!result.errors?.length) return result;
  const source = document.loc?.source;
  return {
    ...result,
    errors: result.errors.map(
      (error) =>
        new GraphQLError(error.message, {
          source,
          positions: source && error.locations ? error.locations.map((at) => positionOf(source, at)) : undefined,
          path: error.path,
          originalError: error.originalError ?? undefined,
          extensions: error.extensions,
        }),
    ),
  };
}

/** Line starts of each source, for turning a `{ line, column }` back into an offset. */
const lineStarts = new WeakMap<Source, number[]>();

function positionOf(source: Source, { line, column }: SourceLocation): number {
  let starts = lineStarts.get(source);
  if (!starts) {
    starts = [0];
    for (const match of source.body.matchAll(/\r\n|[\n\r]/g)) starts.push(match.index + match[0].length);
    lineStarts.set(source, starts);
  }
  return (starts[line - 1] ?? 0) + column - 1;
}
