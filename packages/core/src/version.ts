import { createRequire } from 'node:module';

/** Core's own version: plugins' `requires.core` ranges are checked against it. */
export const CORE_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
