import { proxyActivities, log } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';

type Activities = ReturnType<typeof createActivities>;

const store = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 10 } });
const mail = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '5 seconds', backoffCoefficient: 3, maximumAttempts: 4 } });

/** 每日汇总: run by a Temporal Schedule each morning; one mail per person who chose it. */
export async function dailyDigest(input: { now?: string } = {}): Promise<{ date: string; sent: number }> {
  const now = input.now ?? new Date(Date.now()).toISOString();
  const { date, queued } = await store.queueDailyDigests({ now });
  let sent = 0;
  for (const key of queued) {
    try {
      await mail.deliverNotification({ key });
      sent += 1;
    } catch (err) {
      log.error('digest not delivered', { key, error: String(err) });
      await store.markNotificationFailed({ key, error: String(err) });
    }
  }
  return { date, sent };
}
