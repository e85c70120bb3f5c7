import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { isFailureType, type FailureType } from '../../workflows/shared/failures.js';
import type { ProblemBody } from './problem.js';
import { problemBody } from './problem.js';

// Maps whatever a route's call threw to the answer a person gets. Typed failures from a
// workflow, a child task or an activity keep their type and message; Temporal or PostgreSQL
// being slow or away is 503 (try again); everything else is 500 with no internals.

export interface MappedProblem {
  type: FailureType;
  body: ProblemBody;
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_UNAVAILABLE = 14;

function* causes(err: unknown): Generator<unknown> {
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

function typedFailure(err: unknown): ApplicationFailure | undefined {
  for (const e of causes(err)) if (e instanceof ApplicationFailure && isFailureType(e.type)) return e;
  return undefined;
}

/** Temporal did not answer in time or is away: the caller may retry, the same key finds the result. */
function temporalUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    const code = (e as { code?: unknown }).code;
    if (code === GRPC_DEADLINE_EXCEEDED || code === GRPC_UNAVAILABLE || code === GRPC_RESOURCE_EXHAUSTED) return true;
  }
  return false;
}

/**
 * node-postgres reports its own timeouts with a message and no code: the pool's connect timeout,
 * the client's query timeout (a server that stopped answering mid-query), a dropped connection.
 */
const PG_CLIENT_TIMEOUTS = [
  /timeout exceeded when trying to connect/i,
  /^Query read timeout$/i,
  /Connection terminated/i,
  /Client has encountered a connection error/i,
];

/**
 * PostgreSQL could not be reached, refused a connection, stalled past our timeouts, was shut down
 * or ran out of resources (SQLSTATE 08, 53, 57P0x, 57014 statement timeout).
 */
function databaseUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === 'EPIPE') return true;
      if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57P') || code === '57014') return true;
    }
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && PG_CLIENT_TIMEOUTS.some((re) => re.test(message))) return true;
  }
  return false;
}

/** PostgreSQL refused the data itself (class 22): no retry helps; the request must change. */
function dataRejected(err: unknown): boolean {
  for (const e of causes(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

/**
 * An Update that failed because one of its steps ran out of retries (PostgreSQL away longer than
 * the step's bounded policy) rather than because the workflow refused it: nothing was applied,
 * and the same action may be tried again.
 */
export function stepFailedTransiently(err: unknown): boolean {
  if (typedFailure(err)) return false;
  for (const e of causes(err)) if (e instanceof ActivityFailure) return true;
  return false;
}

export function problemFromError(err: unknown): MappedProblem {
  const failure = typedFailure(err);
  if (failure && isFailureType(failure.type)) {
    const details = (failure.details?.[0] ?? {}) as { field?: unknown };
    const field = typeof details.field === 'string' && details.field ? details.field : undefined;
    return { type: failure.type, body: problemBody(failure.type, failure.message, field) };
  }
  if (err instanceof WorkflowNotFoundError || (err as { name?: string } | null)?.name === 'WorkflowNotFoundError') {
    return { type: 'NOT_FOUND', body: problemBody('NOT_FOUND', '没有找到该提案') };
  }
  if (temporalUnavailable(err)) {
    return { type: 'UNAVAILABLE', body: problemBody('UNAVAILABLE', '办理流程服务暂时没有响应，请稍后用相同的请求重试') };
  }
  if (stepFailedTransiently(err)) {
    return { type: 'UNAVAILABLE', body: problemBody('UNAVAILABLE', '办理流程的一个步骤暂时无法完成（数据库或服务暂时不可用），本次操作未作任何更改：请稍后重试') };
  }
  if (databaseUnavailable(err)) {
    return { type: 'UNAVAILABLE', body: problemBody('UNAVAILABLE', '数据库暂时无法访问，请稍后重试') };
  }
  if (dataRejected(err)) {
    return { type: 'DATA_REJECTED', body: problemBody('DATA_REJECTED', '提交的内容无法保存（含有数据库不接受的值），请检查后重试') };
  }
  return { type: 'INTERNAL', body: problemBody('INTERNAL', '系统内部错误，请稍后重试') };
}
