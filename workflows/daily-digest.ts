import { batch } from './common/activity-proxies.js';
import { drainOutbox } from './common/outbox.js';

/** 每日汇总: run by a Temporal Schedule each morning; one mail per person who chose it. */
export async function dailyDigest(input: { now?: string } = {}): Promise<{ date: string; queued: number }> {
  const now = input.now ?? new Date(Date.now()).toISOString();
  const { date, queued } = await batch.queueDailyDigests({ now });
  await drainOutbox([...queued]);
  return { date, queued: queued.length };
}
