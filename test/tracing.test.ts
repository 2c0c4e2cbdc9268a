import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResults, startTestServer, type TestServer } from '@dangjian/testing';

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT set, spans to an in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  let server: TestServer;
  let sampleResolvers = true;
  beforeAll(async () => {
    server = await startTestServer({
      // Nothing listens there: the in-memory exporter replaces the OTLP one, so no request leaves the machine.
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/otlp', OTEL_SERVICE_NAME: 'dangjian-test' },
      tracing: { exporter, simple: true, sampleResolvers: () => sampleResolvers },
    });
  });
  afterAll(() => server?.close());

  it('one span per request, one per resolver, one per SQL statement — nested, with the request id', async () => {
    exporter.reset();
    const token = await server.token('SZJGGW-MZJ', ['ADMIN']);
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query Orgs { organizations(first: 2) { edges { node { name parent { name } } } } }' }),
    });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'graphql.query Orgs');
    expect(request).toBeDefined();
    expect(request!.attributes).toMatchObject({
      'graphql.operation.name': 'Orgs',
      'graphql.operation.type': 'query',
      'dangjian.request_id': requestId,
      'http.response.status_code': 200,
    });
    expect(request!.resource.attributes['service.name']).toBe('dangjian-test');
    const resolvers = spans.filter((s) => s.name === 'Query.organizations' || s.name === 'Organization.parent');
    expect(resolvers.map((s) => s.name)).toContain('Query.organizations');
    const root = resolvers.find((s) => s.name === 'Query.organizations')!;
    expect(parentOf(root)).toBe(request!.spanContext().spanId);
    const sql = spans.filter((s) => s.name.startsWith('db '));
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.every((s) => s.spanContext().traceId === request!.spanContext().traceId)).toBe(true);
    expect(sql.some((s) => parentOf(s) === root.spanContext().spanId)).toBe(true);
    expect(sql[0]!.attributes['db.system']).toBe('postgresql');
    expect(String(sql[0]!.attributes['db.statement'])).toMatch(/SELECT/);
    // No span carries the token.
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain(token);
  });

  it('resolver spans only for sampled requests; request and SQL spans always; errors by code', async () => {
    exporter.reset();
    sampleResolvers = false;
    const token = await server.token('SZJGGW-MZJ', ['ADMIN']);
    await server.gql('query Orgs { organizations(first: 1) { totalCount } }', {}, token);
    await server.gql('mutation Upd { updateMember(id: "x", input: { education: "本科" }) { id } }');
    sampleResolvers = true;
    const spans = exporter.getFinishedSpans();
    expect(spans.some((s) => s.name === 'graphql.query Orgs')).toBe(true);
    expect(spans.some((s) => s.name === 'Query.organizations')).toBe(false);
    expect(spans.some((s) => s.name.startsWith('db '))).toBe(true);
    const failed = spans.find((s) => s.name === 'graphql.mutation Upd')!;
    expect(failed.status).toMatchObject({ code: 2, message: 'UNAUTHENTICATED' });
    expect(failed.attributes['graphql.error.codes']).toEqual(['UNAUTHENTICATED']);
  });

  it('a graphql-ws subscription gets a span of its own', async () => {
    exporter.reset();
    const client = server.ws(await server.token('SZJGGW-MZJ', ['ADMIN']));
    const { done } = nextResults(client, 'subscription Feed { activityAdded { kind } }', {}, 1, 3000);
    done.catch(() => {});
    // The span covers the subscription's setup, not its events.
    for (let i = 0; i < 100 && !exporter.getFinishedSpans().some((s) => s.name === 'graphql.subscription Feed'); i++)
      await new Promise((r) => setTimeout(r, 20));
    const span = exporter.getFinishedSpans().find((s) => s.name === 'graphql.subscription Feed');
    expect(span?.attributes).toMatchObject({ 'graphql.transport': 'ws', 'graphql.operation.type': 'subscription' });
  });
});
