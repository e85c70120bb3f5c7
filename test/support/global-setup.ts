import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startEphemeralStack } from '../../scripts/lib/ephemeral-stack.js';
import { TEST_LINK_SECRET } from './constants.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    smtpUrl: string;
    mailDir: string;
    taskQueue: string;
    workflowBundlePath: string;
    scratchDir: string;
  }
}

export const TEST_TASK_QUEUE = 'banli-test';

/**
 * Starts the real stack once per run on free ports: embedded PostgreSQL (or DATABASE_URL),
 * the Temporal dev server from the CLI (or TEMPORAL_ADDRESS), an SMTP catcher, and one worker
 * with the real activities. Tests reach them through `inject(...)`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The shared worker refuses steps on purpose in many tests (typed business failures, which the
  // SDK reports at WARN); only errors are worth a line in a green run.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const stack = await startEphemeralStack({ taskQueue: TEST_TASK_QUEUE, linkSecret: TEST_LINK_SECRET });
  project.provide('databaseUrl', stack.databaseUrl);
  project.provide('temporalAddress', stack.temporalAddress);
  project.provide('smtpUrl', stack.catcher.url);
  project.provide('mailDir', stack.mailDir);
  project.provide('taskQueue', TEST_TASK_QUEUE);
  project.provide('workflowBundlePath', stack.workflowBundlePath);
  project.provide('scratchDir', stack.scratch);
  return () => stack.stop();
}
