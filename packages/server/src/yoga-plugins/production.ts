import { randomUUID } from 'node:crypto';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from '@dangjian/core';
import type { Config } from '../config.ts';
import type { LogFn } from '../observability/logger.ts';

/**
 * In production, introspection is refused unless the viewer holds one of the configured roles.
 * `viewerOf` answers synchronously from what the request already authenticated.
 */
export function useIntrospectionPolicy(config: Config, viewerOf: (context: Record<string, unknown>) => Viewer | null | undefined): Plugin {
  return {
    onValidate({ addValidationRule, context }) {
      if (!config.production) return;
      const viewer = viewerOf(context as Record<string, unknown>);
      const allowed = viewer?.roles.some((r) => config.introspectionRoles.includes(r)) ?? false;
      if (!allowed) addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/**
 * Masks anything that is not a deliberate GraphQL error. The client gets a request id; the server log
 * gets the same id with the real cause — never the client.
 */
export function maskError(log: LogFn) {
  const mask = maskWithId(log);
  return (error: unknown, message: string): Error => mask(error, message, randomUUID());
}

function maskWithId(log: LogFn) {
  return (error: unknown, message: string, requestId: string): Error => {
    if (error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)) return error;
    const original = error instanceof GraphQLError ? error.originalError : error;
    const cause = original instanceof Error ? `${original.name}: ${original.message}\n${original.stack ?? ''}` : String(original);
    log(`error ${requestId}: ${cause}`, { requestId });
    // An error located by source positions rather than AST nodes (a compiled execution's) keeps its locations too.
    return new GraphQLError(message, {
      nodes: error instanceof GraphQLError ? error.nodes : undefined,
      source: error instanceof GraphQLError ? error.source : undefined,
      positions: error instanceof GraphQLError ? error.positions : undefined,
      path: error instanceof GraphQLError ? error.path : undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
    });
  };
}

/**
 * Masks execution errors with the request's own id (the one in its audit records and X-Request-Id), so
 * the log line, the client's error and the audit trail name the same request. Errors outside execution
 * (and subscription events) fall to yoga's masking with `maskError`, which makes up an id.
 */
export function useRequestErrorMasking(log: LogFn): Plugin {
  const mask = maskWithId(log);
  return {
    onExecute({ args }) {
      const requestId = (args.contextValue as { requestInfo?: { id: string } }).requestInfo?.id;
      return {
        onExecuteDone({ result, setResult }) {
          if (!requestId || !('errors' in result) || !result.errors?.length) return;
          setResult({ ...result, errors: result.errors.map((error) => mask(error, 'Unexpected error.', requestId) as GraphQLError) });
        },
      };
    },
  };
}
