import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';

// Activities grouped by retry profile, shared by every workflow in this folder.

/** Database steps retry patiently: they are idempotent by key, and the database may be restarting. */
export const store = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/** Outward mail gets few retries; the outbox row keeps the failure for the office to see. */
export const mail = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 3, maximumAttempts: 4 },
});

/** Batch jobs (the daily digest) read more and may take longer. */
export const batch = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 10 },
});
