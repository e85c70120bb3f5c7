import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { dataRejection } from '../activities/failures.js';

/**
 * Applied to every activity: an error PostgreSQL raised for bad data becomes a non-retryable,
 * typed failure at once, wherever in an activity it was thrown, instead of twenty retries.
 */
export class ClassifyActivityFailures implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw dataRejection(err) ?? err;
    }
  }
}
