import { ensureSchemathesis } from './lib/schemathesis.js';

// Prints the path of the pinned schemathesis CLI (installing it from PyPI once).
process.stdout.write(`${ensureSchemathesis()}\n`);
