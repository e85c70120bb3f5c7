import nodemailer, { type Transporter } from 'nodemailer';
import { inject } from 'vitest';
import { createFeedbackLinks } from '../../activities/feedback-link.js';
import { createActivities, type Activities } from '../../activities/index.js';
import type { Db } from '../../db/connection.js';
import { putText } from '../../db/repositories/blobs.js';
import type { ProjectionFields, TaskFields } from '../../db/repositories/proposals.js';
import type { Actor } from '../../workflows/shared/types.js';
import { TEST_LINK_BASE, TEST_LINK_SECRET } from './constants.js';
import { jointProposal, uniq, type Org } from './context.js';

// The activities tier: the activity functions exactly as the worker builds them
// (createActivities(deps)), on this run's real PostgreSQL and SMTP catcher, called directly.

export interface RealActivities {
  acts: Activities;
  transporter: Transporter;
  close(): void;
}

/** createActivities with real dependencies; `smtpUrl` defaults to this run's catcher. */
export function realActivities(db: Db, smtpUrl: string = inject('smtpUrl')): RealActivities {
  // No pooling, short timeouts: a test against an unreachable server fails in milliseconds.
  const url = new URL(smtpUrl);
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port),
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 3_000,
    greetingTimeout: 3_000,
    socketTimeout: 5_000,
  });
  const acts = createActivities({
    db,
    mail: { transporter, from: 'Banli <banli@test.local>', messageIdDomain: 'test.local' },
    feedbackLinks: createFeedbackLinks(TEST_LINK_SECRET, TEST_LINK_BASE),
    publicBaseUrl: TEST_LINK_BASE,
  });
  return { acts, transporter, close: () => transporter.close() };
}

/** A projection row as the workflow would derive it, with only the fields a test cares about changed. */
export function projection(overrides: Partial<ProjectionFields> = {}): ProjectionFields {
  return {
    stage: 'received',
    proposalNo: null,
    filingOutcome: null,
    filingReason: null,
    mergedInto: null,
    handlingMode: null,
    leadUnitId: null,
    unitIds: [],
    keyProposal: false,
    supervisingLeader: null,
    replyClass: null,
    replyVersion: null,
    replyDocNo: null,
    dispatchedAt: null,
    nextDueAt: null,
    nextDueKind: null,
    nextDueExplanation: null,
    nextDueConfirmed: true,
    policyVersion: 1,
    rehandlingRound: 0,
    closedAt: null,
    ...overrides,
  };
}

export function task(unitId: string, role: TaskFields['role'], overrides: Partial<TaskFields> = {}): TaskFields {
  return {
    unitId,
    role,
    status: role === 'co' ? 'due' : 'drafting',
    round: 0,
    assignedAt: '2026-03-02T01:00:00.000Z',
    dueAt: '2026-06-02T15:59:59.999Z',
    done: false,
    opinionHash: null,
    dueExplanation: '答复期限：测试',
    extensionCount: 0,
    extensionPendingTo: null,
    calendarConfirmed: true,
    ...overrides,
  };
}

export interface Registered {
  workflowId: string;
  receiptNo: string;
  proposerIds: number[];
  bodyHash: string;
}

/** 登记 through the recordReceipt activity: the proposal row every later step writes to. */
export async function registeredProposal(db: Db, acts: Activities, org: Org, actor: Actor = org.actors.office): Promise<Registered> {
  const receiptNo = uniq('R');
  const workflowId = `proposal:${org.sessionCode}:${receiptNo}`;
  const { body, ...reg } = jointProposal(org, receiptNo);
  const bodyHash = await putText(db, body);
  const { proposerIds } = await acts.recordReceipt({
    key: `${workflowId}:register`,
    workflowId,
    actor,
    registration: { ...reg, bodyHash },
    projection: projection(),
    now: '2026-03-01T02:00:00.000Z',
  });
  return { workflowId, receiptNo, proposerIds, bodyHash };
}

/** Every row a step may write for one proposal, in a stable order: compare snapshots before and after. */
export async function rowsOf(db: Db, workflowId: string) {
  const [proposal, events, tasks, notifications, replyVersions, consultations, documents, ratings, publications] = await Promise.all([
    db.selectFrom('proposals').selectAll().where('workflow_id', '=', workflowId).executeTakeFirst(),
    db.selectFrom('events').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute(),
    db.selectFrom('unit_tasks').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute(),
    db.selectFrom('notifications').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute(),
    db.selectFrom('reply_versions').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute(),
    db.selectFrom('consultations').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute(),
    db.selectFrom('documents').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute(),
    db.selectFrom('ratings').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute(),
    db.selectFrom('publications').selectAll().where('workflow_id', '=', workflowId).execute(),
  ]);
  return { proposal, events, tasks, notifications, replyVersions, consultations, documents, ratings, publications };
}

export function counts(rows: Awaited<ReturnType<typeof rowsOf>>): Record<string, number> {
  return Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Array.isArray(v) ? v.length : v ? 1 : 0]));
}

/** The thrown value of a promise that must fail. */
export async function failureOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a failure, but the call succeeded');
}
