import { ensureDatabase, prepare } from './setup/database.ts';
import { createContext } from './setup/context.ts';
import { parseOptions } from './setup/options.ts';
import { oursEnv } from './setup/servers.ts';
const ctx = createContext(parseOptions([], process.env));
const which = process.env.SEED_WHICH === 'pg' ? 'postgres' : 'pglite';
if (which === 'postgres') await ensureDatabase(ctx.options.pgUrl);
await prepare(ctx, oursEnv(ctx.options, which), which);
console.log('seeded', which);
