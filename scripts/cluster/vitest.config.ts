import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import base from '../../vitest.config.js';

// The integration project of vitest.config.ts, run by `npm run cluster -- --test` against the
// cluster: the same files, setup and timeouts, plus worker processes on the tests' task queue
// (scripts/cluster/test-workers.ts, started after the stack's own global setup).

const integration = base.test?.projects?.find((p): p is TestProjectInlineConfiguration => typeof p === 'object' && 'test' in p && p.test?.name === 'integration');
if (!integration?.test) throw new Error('vitest.config.ts has no project named integration');
const globalSetup = [integration.test.globalSetup ?? []].flat();

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    projects: [{ ...integration, test: { ...integration.test, globalSetup: [...globalSetup, 'scripts/cluster/test-workers.ts'] } }],
  },
});
