import { ConfigError, loadConfig } from '../client/settings.js';
import { bootstrapDatabase } from './bootstrap.js';
import { connectDatabase, connectTemporalForWorker, createTransport, messageIdDomain } from './connections.js';
import { createProposalWorker } from './create-worker.js';
import { ensureSchedules } from './schedules.js';
import { createFeedbackLinks } from '../activities/feedback-link.js';

// Composition root: configuration, connections, one Worker on one task queue. The SDK's Runtime
// turns SIGINT/SIGTERM into a graceful shutdown (running activities finish, then run() resolves).
async function main(): Promise<void> {
  const config = loadConfig();
  const db = connectDatabase(config);
  const transporter = createTransport(config);
  try {
    await bootstrapDatabase(db);
    const connection = await connectTemporalForWorker(config);
    const worker = await createProposalWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      deps: {
        db,
        mail: { transporter, from: config.mailFrom, messageIdDomain: messageIdDomain(config) },
        feedbackLinks: createFeedbackLinks(config.linkSecret, config.publicBaseUrl),
        publicBaseUrl: config.publicBaseUrl,
      },
      maxCachedWorkflows: config.maxCachedWorkflows,
      ...(process.env.WORKFLOW_BUNDLE_PATH ? { workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH } : {}),
    });
    await ensureSchedules(config);
    process.stdout.write(`[worker] polling ${config.temporal.taskQueue} on ${config.temporal.address}/${config.temporal.namespace}\n`);
    await worker.run();
    await connection.close();
  } finally {
    transporter.close();
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[worker] ${err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err))}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
