import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { FailureType } from '../../workflows/shared/failures.js';

export interface HttpProblem {
  status: 400 | 401 | 403 | 404 | 409 | 422 | 500 | 503;
  body: { error: string; message: string; field?: string };
}

const STATUS_BY_TYPE: Record<string, HttpProblem['status']> = {
  [FailureType.FORBIDDEN_ROLE]: 403,
  [FailureType.NOT_YOUR_UNIT]: 403,
  [FailureType.NOT_THE_RATER]: 403,
  [FailureType.WRONG_STAGE]: 409,
  [FailureType.ALREADY_DONE]: 409,
  [FailureType.DEADLINE_PASSED]: 409,
  [FailureType.PRECONDITION_FAILED]: 409,
  [FailureType.CONFLICT]: 409,
  [FailureType.INVALID_INPUT]: 422,
  [FailureType.NOT_FOUND]: 404,
};

function findApplicationFailure(err: unknown): ApplicationFailure | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof ApplicationFailure && current.type && current.type in STATUS_BY_TYPE) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps a workflow's typed failure to the HTTP answer; anything unknown is a 500 with no internals. */
export function problemFromError(err: unknown): HttpProblem {
  const failure = findApplicationFailure(err);
  if (failure) {
    const details = (failure.details?.[0] ?? {}) as { field?: string };
    return {
      status: STATUS_BY_TYPE[failure.type!]!,
      body: { error: failure.type!, message: failure.message, ...(details.field ? { field: details.field } : {}) },
    };
  }
  if (err instanceof WorkflowNotFoundError || (err as { name?: string })?.name === 'WorkflowNotFoundError') {
    return { status: 404, body: { error: FailureType.NOT_FOUND, message: '没有找到该提案' } };
  }
  if (err instanceof WorkflowUpdateFailedError) {
    return { status: 500, body: { error: 'UPDATE_FAILED', message: '操作没有完成，请稍后重试' } };
  }
  return { status: 500, body: { error: 'INTERNAL', message: '系统内部错误，请稍后重试' } };
}
