import type { Span, Tracer } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { defaultFieldResolver, getOperationAST, isIntrospectionType, isObjectType, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { StatementHook } from '@dangjian/db';
import type { Config } from '../config.ts';
import { errorCodesOf } from './metrics.ts';

/** Tracing of one application: its yoga plugins, the SQL statement hook, and the exporter's shutdown. */
export interface Tracing {
  readonly plugins: Plugin<Record<string, unknown>>[];
  readonly statementHook: StatementHook;
  /** Flushes the spans not yet exported and stops the exporter. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Where spans go; the OTLP/HTTP exporter to the configured endpoint when omitted (tests pass an in-memory one). */
  exporter?: SpanExporter;
  /** Export each span when it ends instead of in batches (tests). */
  simple?: boolean;
  /** Decides whether a request's resolvers get spans; `Math.random() < resolverRatio` by default. */
  sampleResolvers?: () => boolean;
}

interface Trace {
  span: Span;
  /** This request's resolvers get spans (sampled per request, so a trace has all of them or none). */
  resolvers: boolean;
}

/**
 * Starts tracing. Everything of OpenTelemetry is imported here, dynamically: the server imports this file
 * only when OTEL_EXPORTER_OTLP_ENDPOINT is set, and the `import type`s above are erased.
 *
 * Spans: one per request (HTTP from request to response, graphql-ws per operation; named
 * `graphql.<type> <operation name>`), one per resolver that is not a plain property read, for a sampled
 * share of requests (`DANGJIAN_TRACE_RESOLVER_RATIO`), and one per SQL statement run inside a traced
 * request (`db.statement` is the parameterized SQL: values are never recorded). No span carries variables,
 * results, tokens or error messages; errors are recorded by their `extensions.code`.
 */
export async function startTracing(config: NonNullable<Config['tracing']>, options: TracingOptions = {}): Promise<Tracing> {
  const api = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const exporter =
    options.exporter ??
    new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({
      url: `${config.endpoint.replace(/\/+$/, '')}/v1/traces`,
    });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [options.simple ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  // Spans find their parent through the async context; the first application in a process sets it up.
  const manager = new AsyncLocalStorageContextManager();
  if (api.context.setGlobalContextManager(manager)) manager.enable();
  const tracer: Tracer = provider.getTracer('dangjian');
  const sampleResolvers = options.sampleResolvers ?? (() => Math.random() < config.resolverRatio);

  const httpTraces = new WeakMap<Request, Trace>();
  const traces = new WeakMap<object, Trace>();
  const nameOf = (document: DocumentNode, operationName: string | null | undefined) => {
    const operation = getOperationAST(document, operationName ?? undefined);
    return { type: operation?.operation ?? 'unknown', name: operation?.name?.value ?? operationName ?? 'anonymous' };
  };
  const finish = (span: Span, result: unknown) => {
    const codes = errorCodesOf(result);
    if (codes.length > 0) {
      span.setAttribute('graphql.error.codes', [...new Set(codes)]);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: codes[0] });
    }
  };

  /** The request's trace (HTTP) or a new one for a graphql-ws operation; runs `execute` inside its span. */
  const traced = (args: { contextValue: unknown; document: DocumentNode; operationName?: string | null }) => {
    const contextValue = args.contextValue as { request?: Request; requestInfo?: { id: string } };
    const operation = nameOf(args.document, args.operationName);
    let trace = contextValue.request ? httpTraces.get(contextValue.request) : undefined;
    const own = !trace;
    if (trace) trace.span.updateName(`graphql.${operation.type} ${operation.name}`);
    else {
      const span = tracer.startSpan(`graphql.${operation.type} ${operation.name}`, {
        kind: api.SpanKind.SERVER,
        attributes: { 'graphql.transport': 'ws' },
      });
      trace = { span, resolvers: sampleResolvers() };
    }
    trace.span.setAttributes({ 'graphql.operation.type': operation.type, 'graphql.operation.name': operation.name });
    if (contextValue.requestInfo) trace.span.setAttribute('dangjian.request_id', contextValue.requestInfo.id);
    traces.set(contextValue, trace);
    return { trace, own, ctx: api.trace.setSpan(api.context.active(), trace.span) };
  };

  const requestPlugin: Plugin<Record<string, unknown>> = {
    onRequest({ request, url }) {
      if (url.pathname !== '/graphql') return;
      const span = tracer.startSpan(`graphql.request`, {
        kind: api.SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'url.path': url.pathname, 'graphql.transport': 'http' },
      });
      httpTraces.set(request, { span, resolvers: sampleResolvers() });
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const { trace, own, ctx } = traced(args);
      setExecuteFn((execArgs) => api.context.with(ctx, () => executeFn(execArgs)));
      return {
        onExecuteDone({ result }) {
          if (own) {
            finish(trace.span, result);
            trace.span.end();
          }
        },
      };
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const { trace, own, ctx } = traced(args);
      setSubscribeFn((subArgs) => api.context.with(ctx, () => subscribeFn(subArgs)));
      return {
        onSubscribeResult({ result }) {
          // The span covers the subscription's setup; events are not traced one by one.
          if (own) {
            if (!(Symbol.asyncIterator in (result as object))) finish(trace.span, result);
            trace.span.end();
          }
        },
      };
    },
    onResultProcess({ request, result }) {
      const trace = httpTraces.get(request);
      if (trace && !(typeof result === 'object' && result !== null && Symbol.asyncIterator in result)) finish(trace.span, result);
    },
    onResponse({ request, response }) {
      const trace = httpTraces.get(request);
      if (!trace) return;
      httpTraces.delete(request);
      trace.span.setAttribute('http.response.status_code', response.status);
      const requestId = response.headers.get('x-request-id');
      if (requestId) trace.span.setAttribute('dangjian.request_id', requestId);
      trace.span.end();
    },
  };

  /**
   * Wraps each field's resolver once per schema (department schemas included, as they are set). Fields with
   * the default resolver (plain property reads: most fields of a large result, telling nothing) and
   * introspection are left alone. An unsampled request pays one WeakMap look-up per wrapped field.
   */
  const wrapped = new WeakSet<object>();
  const resolverPlugin: Plugin<Record<string, unknown>> = {
    onSchemaChange({ schema }) {
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || isIntrospectionType(type)) continue;
        for (const field of Object.values(type.getFields())) {
          const resolver = field.resolve;
          if (!resolver || resolver === defaultFieldResolver || wrapped.has(field)) continue;
          wrapped.add(field);
          field.resolve = (root, args, ctx, info) => {
            const trace = traces.get(ctx as object);
            if (!trace?.resolvers) return resolver(root, args, ctx, info);
            const span = tracer.startSpan(
              `${info.parentType.name}.${info.fieldName}`,
              { attributes: { 'graphql.field.path': pathOf(info.path), 'graphql.field.type': String(info.returnType) } },
              api.context.active(),
            );
            const end = (error?: unknown) => {
              if (error)
                span.setStatus({
                  code: api.SpanStatusCode.ERROR,
                  message: (error as { extensions?: { code?: string } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR',
                });
              span.end();
            };
            try {
              const value = api.context.with(api.trace.setSpan(api.context.active(), span), () => resolver(root, args, ctx, info));
              if (value && typeof (value as Promise<unknown>).then === 'function') {
                return (value as Promise<unknown>).then(
                  (v) => {
                    end();
                    return v;
                  },
                  (error: unknown) => {
                    end(error);
                    throw error;
                  },
                );
              }
              end();
              return value;
            } catch (error) {
              end(error);
              throw error;
            }
          };
        }
      }
    },
  };

  const statementHook: StatementHook = (sql, run) => {
    // Statements outside a traced request (start-up, background reloads) are not traced.
    if (!api.trace.getSpan(api.context.active())) return run();
    const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';
    return tracer.startActiveSpan(
      `db ${verb}`,
      { kind: api.SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': sql } },
      async (span) => {
        try {
          return await run();
        } catch (error) {
          // The driver's message may quote values: only the SQLSTATE goes into the span.
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: String((error as { code?: unknown }).code ?? 'error') });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  };

  return {
    plugins: [requestPlugin, resolverPlugin],
    statementHook,
    shutdown: () => provider.shutdown(),
  };
}

function pathOf(path: { prev: unknown; key: string | number } | undefined): string {
  const parts: (string | number)[] = [];
  for (let p = path; p; p = p.prev as typeof path) parts.unshift(p.key);
  return parts.join('.');
}
