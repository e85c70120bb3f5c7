import type { Kysely } from 'kysely';
import type { FeedbackLinks } from '../../activities/feedback-link.js';
import type { Database, UserRow } from '../../db/schema.js';
import type { HttpLimits } from '../settings.js';
import type { ProposalClient } from '../temporal.js';

/** What the HTTP layer is built from; the entry point (client/main.ts) or a test supplies it. */
export interface AppDeps {
  db: Kysely<Database>;
  proposals: ProposalClient;
  feedbackLinks: FeedbackLinks;
  mailCatcherDir?: string | undefined;
  limits?: Partial<HttpLimits>;
}

/** Hono's per-request variables: the authenticated user, set by middleware/auth.ts. */
export type AppEnv = { Variables: { user: UserRow } };
