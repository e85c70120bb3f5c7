import { serve, type ServerType } from '@hono/node-server';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { createApp } from './http/app.js';
import type { ProposalClient } from './temporal.js';
import type { FeedbackLinks } from '../activities/feedback-link.js';

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

export function startHttpServer(options: {
  db: Kysely<Database>;
  proposals: ProposalClient;
  host: string;
  port: number;
  mailCatcherDir?: string | undefined;
  feedbackLinks: FeedbackLinks;
}): Promise<RunningHttpServer> {
  const app = createApp({ db: options.db, proposals: options.proposals, mailCatcherDir: options.mailCatcherDir, feedbackLinks: options.feedbackLinks });
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info) => {
      resolve({
        url: `http://${options.host}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
