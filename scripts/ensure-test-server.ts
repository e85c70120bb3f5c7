import { ensureTemporalTestServer } from './lib/temporal-test-server.js';

// Prints the path of the time-skipping test server wrapper (resolving it once with Maven).
process.stdout.write(`${ensureTemporalTestServer()}\n`);
