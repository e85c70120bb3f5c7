import { bundleWorkflowCode, NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import nodemailer from 'nodemailer';
import { createDb } from '../../db/connection.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../db/embedded.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { startMailCatcher } from '../../scripts/lib/mail-catcher.js';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli.js';
import { startTemporalDevServer, type DevServerHandle } from '../../scripts/lib/temporal-dev-server.js';
import { bootstrapDatabase } from '../../worker/bootstrap.js';
import { createProposalWorker, WORKFLOWS_PATH } from '../../worker/create-worker.js';
import { createFeedbackLinks } from '../../activities/feedback-link.js';

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
export const TEST_LINK_SECRET = 'test-link-secret-0123456789';

/**
 * Starts the real stack once per run on free ports: embedded PostgreSQL (or DATABASE_URL),
 * the Temporal dev server from the CLI (or TEMPORAL_ADDRESS), an SMTP catcher, and one worker
 * with the real activities. Tests reach them through `inject(...)`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(join(tmpdir(), 'banli-test-'));
  // PostgreSQL runs as its own user when we are root: it must be able to enter this folder.
  chmodSync(scratch, 0o755);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  Runtime.install({ logger: new DefaultLogger('WARN') });

  let pg: EmbeddedPostgresHandle | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    pg = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), port: await freePort(), database: 'banli_test', log });
    databaseUrl = pg.url;
  }
  const db = createDb(databaseUrl);
  await bootstrapDatabase(db);

  let temporal: DevServerHandle | undefined;
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    temporal = await startTemporalDevServer({
      cli: ensureTemporalCli(log),
      port: await freePort(),
      uiPort: await freePort(),
      dbFile: join(scratch, 'temporal.sqlite'),
      log,
    });
    temporalAddress = temporal.address;
  }

  const mailDir = join(scratch, 'mail');
  const catcher = await startMailCatcher({ port: await freePort(), dir: mailDir });

  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  const workflowBundlePath = join(scratch, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);

  const connection = await NativeConnection.connect({ address: temporalAddress });
  const transporter = nodemailer.createTransport(catcher.url);
  const worker = await createProposalWorker({
    connection,
    namespace: 'default',
    taskQueue: TEST_TASK_QUEUE,
    deps: {
      db,
      mail: { transporter, from: 'Banli 测试 <banli@test.local>', messageIdDomain: 'test.local' },
      feedbackLinks: createFeedbackLinks(TEST_LINK_SECRET, 'http://banli.test'),
    },
    workflowBundlePath,
  });
  const running = worker.run();

  project.provide('databaseUrl', databaseUrl);
  project.provide('temporalAddress', temporalAddress);
  project.provide('smtpUrl', catcher.url);
  project.provide('mailDir', mailDir);
  project.provide('taskQueue', TEST_TASK_QUEUE);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('scratchDir', scratch);

  return async () => {
    worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    transporter.close();
    await catcher.stop();
    await db.destroy();
    await temporal?.stop();
    await pg?.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
}
