import { ensureTemporalCli } from './lib/temporal-cli.js';

// Prints the CLI path on stdout so shell scripts (.ci/run) can capture it.
process.stdout.write(`${ensureTemporalCli()}\n`);
