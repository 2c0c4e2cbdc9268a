#!/usr/bin/env node
// Generates the Prisma client and Pothos types offline. `prisma generate` only checks that a schema
// engine binary exists (it never runs it), and its download fails without internet, so point it at one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syncPluginSchemas } from './sync-plugin-schemas.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
syncPluginSchemas(root);
const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
// The Pothos generator is a bin of node_modules; npm scripts put it on PATH, a direct `node` call does not.
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', PATH: `${resolve(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}` };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync('/bin/false') ? '/bin/false' : process.execPath;
const result = spawnSync(process.execPath, [cli, 'generate', '--config', resolve(root, 'prisma.config.ts')], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
