import { runCli } from './program.js';

// The CLI's entry point: `node --import tsx client/cli/main.ts …`, or `npx banli …` through
// bin.mjs. Exits with the command's code once its output is written.
const code = await runCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
// The Temporal and PostgreSQL connections are closed; exit even if a library keeps a timer.
setImmediate(() => process.exit(code));
