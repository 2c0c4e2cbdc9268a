import { parseArgs } from 'node:util';
import { type CliIo, cliIo, complain, say, withCliIo } from './cli-io.ts';
import { ConfigError, loadConfig, loadDotEnv } from './config.ts';

// Each command's module is loaded when that command runs: `token` or `migrate` need no GraphQL schema, and
// loading the whole server for them took 3–4 s of CPU per call (the CLI tests make dozens of calls).
const commands = {
  audit: () => import('./commands/audit.ts'),
  keys: () => import('./commands/keys.ts'),
  import: () => import('./commands/import.ts'),
  migrate: () => import('./commands/migrate.ts'),
  schema: () => import('./commands/schema.ts'),
  seed: () => import('./commands/seed.ts'),
  serve: () => import('./commands/serve.ts'),
  start: () => import('./commands/start.ts'),
  token: () => import('./commands/token.ts'),
};

const USAGE = `usage: dangjian <command> [options]

commands:
  start                      migrate, seed demo data on the first run, serve
  serve                      serve the GraphQL API (HTTP and graphql-ws on /graphql)
  migrate deploy             apply pending migrations (idempotent)
  migrate status             list migrations and whether each is applied (exit 1 if not up to date)
  migrate dev --name X       create a migration from the Prisma schema diff [--create-only]
  seed                       insert demo data [--scale [--organizations N] [--members N]] [--force]
  schema                     print the SDL [--write: update schema/*.graphql]
  token --org <id|code> --role ROLE [--role ROLE…] [--user ID] [--expires 8h] [--community ID]
                             print a development JWT (refused in production; --expires at most JWT_MAX_LIFETIME)
  audit verify               check the audit trail's hash chain; exit 1 at the first broken link
  keys generate [--id ID]    print a new DANGJIAN_DATA_KEYS / DANGJIAN_LOOKUP_KEY pair
  keys rotate                re-encrypt stored national IDs with the first key of DANGJIAN_DATA_KEYS
  import members <file> --org <code> [--mode VALIDATE|ALL_OR_NOTHING|VALID_ROWS] [--existing SKIP|UPDATE]
                             [--user ID] [--report out.xlsx]
                             import a roster (.xlsx or CSV) as an administrator of the organization;
                             exit 0 all rows passed, 3 valid rows written and some rejected, 1 nothing written
  template members [out.xlsx]
                             write the import template (Chinese headers and an instructions sheet)

configuration comes from the environment (and .env): PORT, HOST, DATABASE_URL, DANGJIAN_DATA_DIR,
REDIS_URL, DANGJIAN_PLUGINS, JWT_SECRET / JWT_PUBLIC_KEY / JWKS_URL, JWT_MAX_LIFETIME, DANGJIAN_ROLE_MAP,
METRICS_PORT / METRICS_TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT, LOG_FORMAT, NODE_ENV — see README.md.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      'create-only': { type: 'boolean' },
      scale: { type: 'boolean' },
      organizations: { type: 'string' },
      members: { type: 'string' },
      force: { type: 'boolean' },
      write: { type: 'boolean' },
      org: { type: 'string' },
      role: { type: 'string', multiple: true },
      user: { type: 'string' },
      expires: { type: 'string' },
      community: { type: 'string' },
      id: { type: 'string' },
      mode: { type: 'string' },
      existing: { type: 'string' },
      report: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, action, target] = positionals;
  if (!command || values.help) {
    say(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (command === 'schema') return (await commands.schema()).schema({ write: values.write });
  if (command === 'template') return (await commands.import()).templateCommand(action, target);
  if (command === 'keys' && action === 'generate') return (await commands.keys()).generateKeys({ id: values.id });
  // `.env` fills the process's own environment only: an in-process run brings the environment it wants.
  const { env } = cliIo();
  if (env === process.env) loadDotEnv();
  const config = loadConfig(env);
  const count = (name: string, raw: string | undefined) => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new ConfigError(`--${name}`, `must be a positive whole number, got "${raw}"`);
    return Number(raw);
  };
  switch (command) {
    case 'start':
      await (await commands.start()).start(config);
      return -1;
    case 'serve':
      await (await commands.serve()).serve(config);
      return -1;
    case 'migrate':
      return (await commands.migrate()).migrate(config, action, { name: values.name, createOnly: values['create-only'] });
    case 'seed':
      return (await commands.seed()).seed(config, {
        scale: values.scale,
        organizations: count('organizations', values.organizations),
        members: count('members', values.members),
        force: values.force,
      });
    case 'token':
      return (await commands.token()).token(config, {
        org: values.org,
        roles: values.role ?? [],
        user: values.user,
        expires: values.expires,
        community: values.community,
      });
    case 'audit':
      return (await commands.audit()).audit(config, action);
    case 'import':
      return (await commands.import()).importCommand(config, {
        kind: action,
        file: target,
        org: values.org,
        mode: values.mode,
        existing: values.existing,
        user: values.user,
        report: values.report,
      });
    case 'keys':
      if (action === 'rotate') return (await commands.keys()).rotateKeys(config);
      complain(`usage: dangjian keys generate [--id ID] | dangjian keys rotate`);
      return 2;
    default:
      complain(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

/**
 * Runs `dangjian <argv>` and resolves with its exit code (-1: a server is running and exits on its own
 * signal handling). Output goes to `io` when given (an in-process run), else to the process's streams.
 */
export function runCli(argv: string[], io?: CliIo): Promise<number> {
  const run = () =>
    main(argv).catch((error: unknown) => {
      if (error instanceof ConfigError) complain(`configuration error: ${error.message}`);
      else if (error instanceof Error && error.name === 'MigrationError') complain(`migration failed: ${error.message}`);
      else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
        complain(`${error.message}\n\n${USAGE}`);
      else complain(`error: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    });
  return io ? withCliIo(io, run) : run();
}
