import { ApplicationFailure } from '@temporalio/common';

/**
 * The one shared list of business failure types. The HTTP layer maps them to status codes;
 * nothing else may invent a type.
 */
export const FailureType = {
  FORBIDDEN_ROLE: 'FORBIDDEN_ROLE', // 403: this role may not take this action
  NOT_YOUR_UNIT: 'NOT_YOUR_UNIT', // 403: the action belongs to another unit
  NOT_THE_RATER: 'NOT_THE_RATER', // 403: only the proposer may rate
  WRONG_STAGE: 'WRONG_STAGE', // 409: not possible in the proposal's current stage
  ALREADY_DONE: 'ALREADY_DONE', // 409: the same thing was already recorded
  DEADLINE_PASSED: 'DEADLINE_PASSED', // 409: the window for this action has closed
  PRECONDITION_FAILED: 'PRECONDITION_FAILED', // 409: something must happen first (consultation, co-opinions…)
  CONFLICT: 'CONFLICT', // 409: clashes with existing data (duplicate number …)
  INVALID_INPUT: 'INVALID_INPUT', // 422: a field is missing or malformed
  NOT_FOUND: 'NOT_FOUND', // 404
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

export interface FailureDetails {
  field?: string;
}

export function businessFailure(type: FailureType, message: string, details: FailureDetails = {}): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });
}

export function invalidField(field: string, message: string): ApplicationFailure {
  return businessFailure(FailureType.INVALID_INPUT, message, { field });
}
