#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx's loader: the workspace packages export
// their `.ts` entry points, so there is no separate build output to drift from the code.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli-entry.ts');
