import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.ts';

const tracingLoaded = vi.fn();
vi.mock('./tracing.ts', async (importOriginal) => {
  tracingLoaded();
  return importOriginal();
});

describe('createObservability', () => {
  it('loads nothing of OpenTelemetry and collects no metrics when neither is configured', async () => {
    const { createObservability } = await import('./index.ts');
    const observability = await createObservability(loadConfig({}));
    expect(observability.plugins).toEqual([]);
    expect(observability.onFanout).toBeUndefined();
    expect(await observability.listen('127.0.0.1')).toBeNull();
    expect(tracingLoaded).not.toHaveBeenCalled();
    await observability.close();
  });

  it('imports the tracing module only when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const { createObservability } = await import('./index.ts');
    const { InMemorySpanExporter } = await import('@opentelemetry/sdk-trace-base');
    const observability = await createObservability(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }), {
      tracing: { exporter: new InMemorySpanExporter() },
    });
    expect(tracingLoaded).toHaveBeenCalledTimes(1);
    expect(observability.plugins).toHaveLength(2);
    await observability.close();
  });
});
