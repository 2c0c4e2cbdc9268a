/** The seeded databases every test file of a run starts from (embedded database only). */
export interface TestDatabaseTemplates {
  /** Migrated, nothing else (`dataset: null`). */
  empty: string;
  /** Migrated and seeded with the demo dataset, its national IDs encrypted with `keys`. */
  demo: string;
  keys: { dataKeys: string; lookupKey: string };
  /** The day the demo dataset was built for (its dates are relative to it). */
  today: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    dangjianTemplates: TestDatabaseTemplates | null;
  }
}
