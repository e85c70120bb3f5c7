import { log } from '@temporalio/workflow';
import { background, mail } from './activity-proxies.js';

/**
 * Sends queued outbox mail in order. A message that cannot be delivered after its retries is
 * marked failed on its row (the office sees it); the process goes on. The key leaves the queue
 * only once handled, so a worker crash resends nothing that was sent and loses nothing that was not.
 */
export async function drainOutbox(outbox: string[], max = Infinity): Promise<void> {
  for (let sent = 0; outbox.length > 0 && sent < max; sent++) {
    const key = outbox[0]!;
    try {
      await mail.deliverNotification({ key });
    } catch (err) {
      log.error('notification could not be delivered', { key, error: String(err) });
      await background.markNotificationFailed({ key, error: String(err) });
    }
    outbox.shift();
  }
}
