import { ApplicationFailure } from '@temporalio/common';

/**
 * The one list of failure types, for workflows, activities and the HTTP door alike, each with
 * the HTTP status it answers with. Nothing else may invent a type: a route, a validator and an
 * activity that refuse for the same reason say so with the same word.
 */
export const FAILURES = {
  // Refusals by the process (update validators and handlers).
  FORBIDDEN_ROLE: 403, // this role may not take this action
  NOT_YOUR_UNIT: 403, // the action belongs to another unit
  NOT_THE_RATER: 403, // only the proposer may rate
  WRONG_STAGE: 409, // not possible in the proposal's current stage
  ALREADY_DONE: 409, // the same thing was already recorded
  DEADLINE_PASSED: 409, // the window for this action has closed
  PRECONDITION_FAILED: 409, // something must happen first (consultation, co-opinions…)
  CONFLICT: 409, // clashes with existing data (duplicate number …)
  INVALID_INPUT: 422, // a field is missing or malformed
  NOT_FOUND: 404,
  // Refusals by a database step that no retry can cure (PostgreSQL rejected the data).
  DATA_REJECTED: 422,
  // Outward mail (never shown to a person acting: the outbox row records it for the office).
  MAIL_REFUSED: 502, // the relay refused the message for good
  MAIL_UNAVAILABLE: 503, // the relay could not be reached; retried
  // Refusals at the HTTP door, before anything reaches a workflow.
  UNAUTHENTICATED: 401,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type FailureType = keyof typeof FAILURES;
export type FailureStatus = (typeof FAILURES)[FailureType];

/** FailureType.WRONG_STAGE === 'WRONG_STAGE': the names as values, for `type:` fields. */
export const FailureType = Object.freeze(Object.fromEntries(Object.keys(FAILURES).map((k) => [k, k])) as { readonly [K in FailureType]: K });

export function isFailureType(value: unknown): value is FailureType {
  return typeof value === 'string' && Object.hasOwn(FAILURES, value);
}

export interface FailureDetails {
  field?: string;
}

export function businessFailure(type: FailureType, message: string, details: FailureDetails = {}): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });
}

export function invalidField(field: string, message: string): ApplicationFailure {
  return businessFailure(FailureType.INVALID_INPUT, message, { field });
}
