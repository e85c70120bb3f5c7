import { bundleWorkflowCode, DefaultLogger, NativeConnection, type Worker } from '@temporalio/worker';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createFeedbackLinks } from '../../activities/feedback-link.js';
import { createDb, type Db } from '../../db/connection.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { bootstrapDatabase } from '../../worker/bootstrap.js';
import { createProposalWorker, WORKFLOWS_PATH } from '../../worker/create-worker.js';
import { freePort } from './free-port.js';
import { startMailCatcher, type MailCatcherHandle } from './mail-catcher.js';
import { ensureTemporalCli } from './temporal-cli.js';
import { startTemporalDevServer, type DevServerHandle } from './temporal-dev-server.js';

export interface EphemeralStack {
  scratch: string;
  databaseUrl: string;
  temporalAddress: string;
  catcher: MailCatcherHandle;
  mailDir: string;
  workflowBundlePath: string;
  db: Db;
  stop(): Promise<void>;
}

/**
 * The real stack in a temporary folder on free ports, with one in-process worker: what the
 * tests and the benchmarks run against. DATABASE_URL / TEMPORAL_ADDRESS replace the embedded ones.
 */
export async function startEphemeralStack(options: { taskQueue: string; linkSecret: string; log?: (line: string) => void }): Promise<EphemeralStack> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const scratch = mkdtempSync(join(tmpdir(), 'banli-'));
  // PostgreSQL runs as its own user when we are root: it must be able to enter this folder.
  chmodSync(scratch, 0o755);

  let databaseUrl = process.env.DATABASE_URL;
  let temporal: DevServerHandle | undefined;
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  const mailDir = join(scratch, 'mail');
  // PostgreSQL and the catcher bind their ports first: the dev server picks random free ports
  // of its own (HTTP API, metrics, internal services) and must not take ours.
  const bundling = bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  bundling.catch(() => undefined); // awaited below; this only keeps an early failure elsewhere from leaving it unhandled
  const [pg, catcher] = await Promise.all([
    databaseUrl
      ? Promise.resolve(undefined)
      : freePort().then((port) => startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), port, database: 'banli', throwaway: true, log })),
    freePort().then((port) => startMailCatcher({ port, dir: mailDir })),
  ]);
  databaseUrl ??= pg!.url;
  if (!temporalAddress) {
    const cli = ensureTemporalCli(log);
    for (let attempt = 1; !temporal; attempt++) {
      try {
        temporal = await startTemporalDevServer({ cli, port: await freePort(), uiPort: await freePort(), dbFile: join(scratch, `temporal-${attempt}.sqlite`), log });
      } catch (err) {
        // A port taken between our check and the server's bind: try again on fresh ports.
        if (attempt >= 3) throw err;
        log(`[temporal] start attempt ${attempt} failed, retrying: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    temporalAddress = temporal.address;
  }
  const bundle = await bundling;

  const db = createDb(databaseUrl);
  await bootstrapDatabase(db);
  const workflowBundlePath = join(scratch, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);

  const connection = await NativeConnection.connect({ address: temporalAddress });
  const transporter = nodemailer.createTransport(catcher.url);
  const worker: Worker = await createProposalWorker({
    connection,
    namespace: 'default',
    taskQueue: options.taskQueue,
    deps: {
      db,
      mail: { transporter, from: 'Banli <banli@test.local>', messageIdDomain: 'test.local' },
      feedbackLinks: createFeedbackLinks(options.linkSecret, 'http://banli.test'),
    },
    workflowBundlePath,
  });
  const running = worker.run();

  return {
    scratch,
    databaseUrl,
    temporalAddress,
    catcher,
    mailDir,
    workflowBundlePath,
    db,
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      transporter.close();
      await catcher.stop();
      await db.destroy();
      await temporal?.stop();
      await pg?.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
