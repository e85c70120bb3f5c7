import { createDb } from '../db/connection.js';
import { ConfigError, connectTemporalClient, loadConfig } from './settings.js';
import { startHttpServer } from './server.js';
import { createFeedbackLinks } from '../activities/feedback-link.js';
import { ProposalClient } from './temporal.js';

// The HTTP server's entry point: the API (and later the pages) in front of the workflows.
async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDb(config.databaseUrl, config.databasePoolMax);
  const client = await connectTemporalClient(config.temporal);
  const server = await startHttpServer({
    db,
    proposals: new ProposalClient(client, config.temporal.taskQueue, { waitMs: config.http.updateWaitMs }),
    limits: config.http,
    host: config.httpHost,
    port: config.httpPort,
    mailCatcherDir: config.mailCatcherDir,
    feedbackLinks: createFeedbackLinks(config.linkSecret, config.publicBaseUrl),
  });
  process.stdout.write(`[http] listening on ${server.url}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await client.connection.close();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`[http] ${err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err))}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
