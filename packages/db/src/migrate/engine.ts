import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

type Runtime = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

let runtime: Promise<Runtime> | undefined;

/**
 * Loads Prisma's schema engine compiled to WebAssembly once per process. The package's own entry imports
 * the `.wasm` file as an ES module, which Node cannot do, so the module is instantiated by hand.
 */
function loadRuntime(): Promise<Runtime> {
  runtime ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const rt: Runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(bgPath), 'schema_engine_bg.wasm'));
    const module = await WebAssembly.compile(new Uint8Array(bytes));
    const imports: Record<string, unknown> = { ...rt };
    // The engine arms ~10 s timers (connection timeouts) that would keep a finished CLI run alive.
    for (const key of Object.keys(imports)) {
      if (key.startsWith('__wbg_setTimeout_')) {
        imports[key] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
      }
    }
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': imports as WebAssembly.ModuleImports });
    rt.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return rt;
  })();
  return runtime;
}

/** One schema-engine log line, as the engine emits it (JSON). */
export type EngineLog = (line: string) => void;

/**
 * Starts a schema engine on the given adapter factory with the Prisma schema files as its datamodel.
 * The caller must `free()` the engine and dispose the adapters it opened.
 */
export async function startSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schemaFiles: [path: string, content: string][],
  log: EngineLog = () => {},
): Promise<{ engine: SchemaEngine; explain: (error: unknown) => string }> {
  const rt = await loadRuntime();
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await rt.SchemaEngine.new({ datamodels: schemaFiles }, log, bound);
  return { engine, explain: (error) => explainEngineError(error, bound.errorRegistry) };
}

interface ErrorRegistry {
  consumeError(id: number): { error: unknown } | undefined;
}

/**
 * The engine reports a database error only as "External error id#N"; the driver error itself — with
 * PostgreSQL's message and SQLSTATE — waits in the adapter's error registry under that id.
 */
export function explainEngineError(error: unknown, registry: ErrorRegistry): string {
  const text = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
  const id = /External error id#(\d+)/.exec(text)?.[1];
  const external = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  if (external === undefined) return text.split('\n')[0] ?? text;
  const cause = (external as { cause?: { originalMessage?: string; originalCode?: string; kind?: string } }).cause;
  if (cause?.originalMessage) return `${cause.originalMessage}${cause.originalCode ? ` (SQLSTATE ${cause.originalCode})` : ''}`;
  if (external instanceof Error) return external.message;
  return JSON.stringify(external);
}
