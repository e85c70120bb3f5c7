import { Client, Connection, ScheduleAlreadyRunning } from '@temporalio/client';
import type { Config } from '../client/settings.js';
import { dailyDigest } from '../workflows/daily-digest.js';

export const DAILY_DIGEST_SCHEDULE_ID = 'banli-daily-digest';

/** Makes sure the morning digest is scheduled (08:00 Asia/Shanghai); an existing schedule is kept. */
export async function ensureSchedules(config: Config): Promise<void> {
  const connection = await Connection.connect({
    address: config.temporal.address,
    tls: config.temporal.tls,
    ...(config.temporal.apiKey ? { apiKey: config.temporal.apiKey } : {}),
  });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    await client.schedule.create({
      scheduleId: DAILY_DIGEST_SCHEDULE_ID,
      spec: { calendars: [{ hour: 8, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: dailyDigest, args: [{}], taskQueue: config.temporal.taskQueue, workflowId: 'daily-digest' },
      policies: { overlap: 'SKIP', catchupWindow: '1 hour' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  } finally {
    await connection.close();
  }
}
