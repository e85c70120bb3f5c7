import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { TEST_LINK_SECRET } from '../../test/support/constants.js';
import { startNodeChild, type NodeChild } from './processes.js';

// A second global setup for the integration project under `npm run cluster -- --test`: after
// test/support/global-setup.ts has started its stack (on the cluster, through TEMPORAL_ADDRESS
// and DATABASE_URL), two more workers join the tests' task queue as separate processes
// (worker/main.ts), with the same database, mail catcher, workflow bundle and link secret as
// the in-process worker. Tasks then land on any of the three, as on a scaled-out deployment.

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const count = Number(process.env.BANLI_CLUSTER_TEST_WORKERS ?? 2);
  const ctx = project.getProvidedContext();
  const logDir = process.env.BANLI_CLUSTER_LOG_DIR ?? join(ctx.scratchDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: ctx.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: ctx.taskQueue,
    DATABASE_URL: ctx.databaseUrl,
    SMTP_URL: ctx.smtpUrl,
    WORKFLOW_BUNDLE_PATH: ctx.workflowBundlePath,
    BANLI_LINK_SECRET: TEST_LINK_SECRET,
    // As the in-process worker of scripts/lib/ephemeral-stack.ts: the same links and mail headers.
    PUBLIC_BASE_URL: 'http://banli.test',
    MAIL_FROM: 'Banli <banli@test.local>',
  };
  const workers: NodeChild[] = [];
  for (let i = 1; i <= count; i++) {
    const file = join(logDir, `test-worker-${i}.log`);
    workers.push(startNodeChild({ name: `test-worker-${i}`, entry: 'worker/main.ts', env, ready: /^\[worker\] polling /, output: { file } }));
  }
  await Promise.all(workers.map((w) => w.ready));
  process.stderr.write(`[cluster] ${count} worker processes polling ${ctx.taskQueue} on ${ctx.temporalAddress} beside the tests' own worker (logs in ${logDir})\n`);
  return async () => {
    await Promise.all(workers.map((w) => w.stop()));
  };
}
