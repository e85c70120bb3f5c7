import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';

// Activities grouped by retry profile, shared by every workflow in this folder. Errors no retry
// can cure (PostgreSQL refusing the data, a missing unit or policy) are non-retryable at the
// source (activities/failures.ts), so these policies only ever retry what may pass next time.

/**
 * A person's action waits for these: retry a short outage quickly, then give up so the Update
 * is refused instead of holding the proposal's lock. 200 ms doubling to a 4 s ceiling, 7
 * attempts: about 15 s in all, inside the HTTP route's wait, after which the person may retry
 * with the same idempotency key.
 */
export const store = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '4 seconds', maximumAttempts: 7 },
});

/**
 * The same steps as local activities: run by the worker that runs the workflow, without a
 * round trip through the server's task queue (~5 ms instead of ~100 ms on the dev server).
 * They suit the short database steps a person waits for; each is idempotent by its key, so a
 * local activity run again after a worker crash changes nothing.
 */
export const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '4 seconds', maximumAttempts: 7 },
});

/**
 * The proxy for the steps of a person's action. Histories recorded before local activities
 * scheduled ordinary ones and replay that way; new runs take the local path.
 */
export function actionSteps(): typeof store {
  return patched('local-action-steps-v1') ? local : store;
}

/**
 * The workflow's own steps (dispatch, clocks, recalculation, read-model catch-up) have nobody
 * waiting and must not fail the proposal while the database restarts: they retry for as long
 * as it takes, at most a minute apart. Idempotent by key, so a retry changes nothing.
 */
export const background = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The workflow's own short database steps as local activities, with the same patience as
 * `background`: a calendar edit has every running proposal recompute at once, and each ordinary
 * activity round trip is a task through the server; run by the worker that runs the workflow,
 * a recalculation takes one workflow task instead of three. Idempotent by key, like the rest.
 */
export const localBackground = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Outward mail gets few retries; the outbox row keeps the failure for the office to see. One
 * SMTP conversation takes well under a second; 10 s also bounds how long a send lost with a
 * crashed worker waits before it is tried again.
 */
export const mail = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 3, maximumAttempts: 4 },
});

/** Batch jobs (the daily digest) read more and may take longer. */
export const batch = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 10 },
});
