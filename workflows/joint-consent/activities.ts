import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { JointConsentActivities } from '../../activities/joint-consent.js';

// The joint-consent steps, with the retry profiles of ../common/activity-proxies.ts: they are
// registered beside the proposal's activities (worker/create-worker.ts) but typed on their own,
// so the proposal workflows' activity type (and its test stubs) stay as they are.

/** A person waits for these short database steps: local, bounded retries, idempotent by key. */
export const steps = proxyLocalActivities<JointConsentActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '4 seconds', maximumAttempts: 7 },
});

/** The workflow's own step at expiry: nobody waits, so it retries until the database answers. */
export const background = proxyActivities<JointConsentActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
