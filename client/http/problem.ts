import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { FAILURES, type FailureType } from '../../workflows/shared/failures.js';
import type { z } from 'zod';
import { issuesOf, type InputIssue } from '../../workflows/proposal/parse.js';

// Every refusal the HTTP layer writes has one shape, { error, message, field? }, and the status
// that the shared failure list gives its type: a route, a validator and an activity that refuse
// for the same reason answer the same.

export interface ProblemBody {
  error: FailureType;
  message: string;
  field?: string;
  [extra: string]: unknown;
}

export function problemBody(type: FailureType, message: string, field?: string, extra: Record<string, unknown> = {}): ProblemBody {
  return { ...extra, error: type, message, ...(field !== undefined ? { field } : {}) };
}

export function statusOf(type: FailureType): ContentfulStatusCode {
  return FAILURES[type];
}

export function problem(c: Context, type: FailureType, message: string, field?: string, extra?: Record<string, unknown>): Response {
  return c.json(problemBody(type, message, field, extra), statusOf(type));
}

/** 422 naming the first field at fault, with every issue listed for forms that show them all. */
export function invalidInput(c: Context, issues: InputIssue[]): Response {
  return c.json(invalidInputBody(issues), statusOf('INVALID_INPUT'));
}

export function invalidInputBody(issues: InputIssue[]): ProblemBody {
  const first = issues[0] ?? { field: '', message: '请求内容无效' };
  const message = first.field ? `${first.field}：${first.message}` : first.message;
  return problemBody('INVALID_INPUT', message, first.field, { issues });
}

/** A zod error's issues, unknown fields first: "you sent bodyHash" explains "body is missing". */
export function doorIssues(error: z.ZodError): InputIssue[] {
  const issues = issuesOf(error);
  const order = error.issues.map((issue, i) => (issue.code === 'unrecognized_keys' ? -1 : i));
  return issues
    .map((issue, i) => ({ issue, rank: order[i]! }))
    .sort((a, b) => a.rank - b.rank)
    .map((x) => x.issue);
}
