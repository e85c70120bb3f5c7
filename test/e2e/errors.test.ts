import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure, TimeoutType, WorkflowNotFoundError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { problemFromError, stepFailedTransiently } from '../../client/http/errors.js';
import { FAILURES } from '../../workflows/shared/failures.js';

// errors.ts: what a person is told for whatever a call threw. Typed failures keep their type
// and message wherever they were raised; nothing internal leaks from the rest.

const typed = (type: string, message: string, field?: string) => ApplicationFailure.create({ type, message, details: field ? [{ field }] : [], nonRetryable: true });

describe('problemFromError', () => {
  it('keeps every shared failure type, from an update validator or from an activity inside a handler', () => {
    for (const type of Object.keys(FAILURES)) {
      const direct = problemFromError(new WorkflowUpdateFailedError('update failed', typed(type, `说明${type}`, 'field1')));
      expect(direct.type).toBe(type);
      expect(direct.body).toEqual({ error: type, message: `说明${type}`, field: 'field1' });
    }
    const fromActivity = new WorkflowUpdateFailedError(
      'update failed',
      new ActivityFailure('activity failed', 'recordStep', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', typed('DATA_REJECTED', '日期无效', 'date')),
    );
    expect(problemFromError(fromActivity)).toEqual({ type: 'DATA_REJECTED', body: { error: 'DATA_REJECTED', message: '日期无效', field: 'date' } });
  });

  it('answers 500 INTERNAL without internals for an unknown type or a plain error', () => {
    for (const err of [typed('SOMETHING_ELSE', 'secret detail'), new Error('connection string postgres://user:pw@db'), 'a string', null]) {
      const mapped = problemFromError(err);
      expect(mapped.type).toBe('INTERNAL');
      expect(JSON.stringify(mapped.body)).not.toMatch(/secret|postgres|pw/);
    }
  });

  it('maps a workflow that is gone to 404, a late or absent Temporal to 503, refused data to 422', () => {
    expect(problemFromError(new WorkflowNotFoundError('gone', 'proposal:x', undefined)).type).toBe('NOT_FOUND');
    expect(problemFromError(new WorkflowUpdateRPCTimeoutOrCancelledError('deadline')).type).toBe('UNAVAILABLE');
    expect(problemFromError(Object.assign(new Error('14 UNAVAILABLE'), { code: 14 })).type).toBe('UNAVAILABLE');
    expect(problemFromError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).type).toBe('UNAVAILABLE');
    expect(problemFromError(Object.assign(new Error('invalid input syntax'), { code: '22P02' })).type).toBe('DATA_REJECTED');
  });

  it('maps an Update whose step ran out of retries to 503 (nothing applied), but a typed refusal from a step to its own type', () => {
    const timedOut = new ActivityFailure(
      'recordStep',
      'recordStep',
      '1',
      RetryState.TIMEOUT,
      undefined,
      new TimeoutFailure('Local Activity timed out', undefined, TimeoutType.START_TO_CLOSE),
    );
    expect(stepFailedTransiently(timedOut)).toBe(true);
    expect(problemFromError(new Error('update failed', { cause: timedOut })).type).toBe('UNAVAILABLE');
    const refused = new ActivityFailure(
      'recordStep',
      'recordStep',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      undefined,
      ApplicationFailure.nonRetryable('引用的对象不存在', 'DATA_REJECTED'),
    );
    expect(stepFailedTransiently(refused)).toBe(false);
    expect(problemFromError(refused).type).toBe('DATA_REJECTED');
  });

  it('maps PostgreSQL stalled past our timeouts, or out of resources, to 503', () => {
    // node-postgres's own timeouts carry no code, only their words.
    for (const message of ['timeout exceeded when trying to connect', 'Query read timeout', 'Connection terminated unexpectedly']) {
      expect(problemFromError(new Error(message)).type, message).toBe('UNAVAILABLE');
    }
    for (const code of ['57014', '57P01', '08006', '53300']) {
      expect(problemFromError(Object.assign(new Error('pg'), { code })).type, code).toBe('UNAVAILABLE');
    }
  });
});
