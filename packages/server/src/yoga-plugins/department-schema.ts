import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from '@dangjian/core';

export interface DepartmentSchemaOptions {
  /** Authenticates an HTTP request (once: the context asks for the same promise); null when anonymous or refused. */
  viewerFor(request: Request): Promise<Viewer | null>;
  /** The schema of a viewer's department: core plus the plugins its top-level organization enabled. */
  schemaFor(viewer: Viewer | null): Promise<GraphQLSchema>;
}

/** The department-schema plugin, and what it learned about each HTTP request. */
export interface DepartmentSchemaPlugin extends Plugin<Record<string, unknown>> {
  /** The viewer an HTTP request was resolved to (after parsing; `undefined` before, and for sockets). */
  viewerOf(request: Request): Viewer | null | undefined;
}

/**
 * Serves each request the schema of its department. An HTTP request is authenticated once its parameters
 * are parsed and its department's schema chosen then (a refused token is answered as anonymous: the
 * context's own authentication reports it); a graphql-ws operation brings its socket's schema in the
 * context as `departmentSchema`. Requests with neither keep yoga's schema.
 */
export function useDepartmentSchema(options: DepartmentSchemaOptions): DepartmentSchemaPlugin {
  const schemas = new WeakMap<Request, GraphQLSchema>();
  const viewers = new WeakMap<Request, Viewer | null>();
  return {
    viewerOf: (request) => viewers.get(request),
    onRequestParse: ({ request }) => ({
      onRequestParseDone: async () => {
        const viewer = await options.viewerFor(request).catch(() => null);
        viewers.set(request, viewer);
        schemas.set(request, await options.schemaFor(viewer));
      },
    }),
    onEnveloped: ({ setSchema, context }) => {
      // HTTP requests were resolved at parse time; sockets bring their schema in the context.
      const ctx = context as { request?: Request; departmentSchema?: GraphQLSchema };
      const schema = ctx.departmentSchema ?? (ctx.request ? schemas.get(ctx.request) : undefined);
      if (schema) setSchema(schema);
    },
  };
}
