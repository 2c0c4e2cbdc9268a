// The `dangjian` executable's entry: runs the command and exits with its code (a server, -1, keeps running).
import { runCli } from './cli.ts';

const code = await runCli(process.argv.slice(2));
if (code >= 0) process.exit(code);
