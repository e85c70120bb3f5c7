import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { makeAllocateProposalNumber } from './allocate-proposal-number.js';
import { makeComputeDueDates } from './compute-due-dates.js';
import { makeDeliverNotification, makeMarkNotificationFailed, type MailDeps } from './deliver-notification.js';
import { makeDispatchReply } from './dispatch-reply.js';
import { makeReissueReply } from './reissue-reply.js';
import { makeLoadSignOffChain } from './load-signoff-chain.js';
import type { FeedbackLinks } from './feedback-link.js';
import { makeLoadPolicy } from './load-policy.js';
import { makeRecordReceipt } from './record-receipt.js';
import { makeRecordStep, makeSyncProjection } from './record-step.js';
import { makeRecordCoOpinion } from './record-co-opinion.js';
import { makeQueueDailyDigests } from './queue-daily-digests.js';
import { makePublishReply } from './publication/publish-reply.js';
import { makeCheckMergeTarget } from './check-merge-target.js';

export interface ActivityDeps {
  db: Kysely<Database>;
  mail: MailDeps;
  feedbackLinks: FeedbackLinks;
  /** Where the public site is reached from outside (PUBLIC_BASE_URL), for links in mail; none, no link. */
  publicBaseUrl?: string;
}

/** Every activity, built from injected dependencies; the worker is the only caller that wires real ones. */
export function createActivities(deps: ActivityDeps) {
  return {
    loadPolicy: makeLoadPolicy(deps.db),
    computeDueDates: makeComputeDueDates(deps.db),
    allocateProposalNumber: makeAllocateProposalNumber(deps.db),
    recordReceipt: makeRecordReceipt(deps.db),
    recordStep: makeRecordStep(deps.db),
    syncProjection: makeSyncProjection(deps.db),
    recordCoOpinion: makeRecordCoOpinion(deps.db),
    dispatchReply: makeDispatchReply(deps.db, deps.feedbackLinks),
    reissueReply: makeReissueReply(deps.db),
    loadSignOffChain: makeLoadSignOffChain(deps.db),
    deliverNotification: makeDeliverNotification(deps.db, deps.mail),
    markNotificationFailed: makeMarkNotificationFailed(deps.db),
    queueDailyDigests: makeQueueDailyDigests(deps.db),
    publishReply: makePublishReply(deps.db, deps.publicBaseUrl),
    checkMergeTarget: makeCheckMergeTarget(deps.db),
  };
}

export type Activities = ReturnType<typeof createActivities>;
