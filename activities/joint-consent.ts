import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { appendEvent } from '../db/repositories/events.js';
import {
  expireInvited,
  getJointDraft,
  getJointSigners,
  insertJointDraft,
  setSignerAnswer,
  updateJointDraft,
  type NewJointSigner,
} from '../db/repositories/joint-consent.js';
import { enqueueNotification } from '../db/repositories/notifications.js';
import type { Database } from '../db/schema.js';
import type { JointDraftRow, JointSignerRow } from '../db/schema-joint.js';
import type { JointDraftStatus, JointDraftView, OpenJointDraftInput, SignerInput, SignerStatus } from '../workflows/joint-consent/definitions.js';
import { FailureType } from '../workflows/shared/failures.js';
import type { Actor } from '../workflows/shared/types.js';
import { makeComputeDueDates } from './compute-due-dates.js';
import type { FeedbackLinks } from './feedback-link.js';
import { jointLinksFrom } from './joint-link.js';
import { makeLoadPolicy } from './load-policy.js';
import { consentClosedMail, invitationMail, withdrawnMail } from './notifications/joint-consent-mail.js';
import { resolveRecipients } from './notifications/recipients.js';
import { JOINT_CONSENT_RULE } from './policy/default-policy.js';
import { notificationKey } from './record-step.js';

// The database steps of 联名征集. Each writes one event (unique key = workflow id + step) and the
// rows it implies in one transaction; a retried step finds its event and changes nothing.

function refuse(type: FailureType, message: string, field?: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details: [field ? { field } : {}], nonRetryable: true });
}

function event(key: string, workflowId: string, step: string, actor: Actor | null, now: string, summary: Record<string, unknown>) {
  return { idempotencyKey: key, workflowId, step, actorUserId: actor?.userId || null, actorRole: actor?.role ?? null, actorUnitId: null, occurredAt: now, summary };
}

export function viewOf(draft: JointDraftRow, signers: JointSignerRow[]): JointDraftView {
  return {
    workflowId: draft.workflow_id,
    sessionCode: draft.session_code,
    receiptNo: draft.receipt_no,
    title: draft.title,
    bodyHash: draft.body_hash,
    topic: draft.topic,
    status: draft.status,
    expiresAt: new Date(draft.expires_at).toISOString(),
    expiryExplanation: draft.expiry_explanation,
    calendarConfirmed: draft.calendar_confirmed,
    consentClosed: draft.consent_closed,
    signers: signers.map((s) => ({
      position: s.position,
      proposerId: s.proposer_id,
      name: s.name,
      email: s.email,
      phone: s.phone,
      sector: s.sector,
      status: s.status,
      answeredAt: s.answered_at ? new Date(s.answered_at).toISOString() : null,
      comment: s.comment,
    })),
    submittedAt: draft.submitted_at ? new Date(draft.submitted_at).toISOString() : null,
    proposalWorkflowId: draft.proposal_workflow_id,
  };
}

async function resolveSigner(trx: Kysely<Database>, s: SignerInput, position: number, field: string): Promise<NewJointSigner> {
  const clean = (v: string | null | undefined) => v?.trim() || null;
  if (typeof s.proposerId === 'number') {
    const row = await trx.selectFrom('proposers').selectAll().where('id', '=', s.proposerId).executeTakeFirst();
    if (!row) throw refuse(FailureType.INVALID_INPUT, `没有找到编号为 ${s.proposerId} 的委员`, `${field}.proposerId`);
    if (row.kind !== 'member') throw refuse(FailureType.INVALID_INPUT, `「${row.name}」不是委员个人，不能联名`, `${field}.proposerId`);
    return {
      position,
      proposerId: row.id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      sector: row.sector,
      status: position === 0 ? 'first_signer' : 'invited',
    };
  }
  return {
    position,
    proposerId: null,
    name: s.name!.trim(),
    email: clean(s.email)?.toLowerCase() ?? null,
    phone: clean(s.phone),
    sector: clean(s.sector),
    status: position === 0 ? 'first_signer' : 'invited',
  };
}

export interface OpenJointDraftArgs extends OpenJointDraftInput {
  key: string;
  workflowId: string;
  now: string;
}

export function makeJointConsentActivities(db: Kysely<Database>, feedbackLinks: FeedbackLinks) {
  const loadPolicy = makeLoadPolicy(db);
  const computeDueDates = makeComputeDueDates(db);
  const links = jointLinksFrom(feedbackLinks);

  /** The window closes after the session policy's 联名确认期限 (older policies: the default rule). */
  async function consentExpiry(sessionCode: string, start: string) {
    const policy = await loadPolicy({ sessionCode });
    const rule = policy.body.durations.jointConsent ?? JOINT_CONSENT_RULE;
    const withRule = { ...policy, body: { ...policy.body, durations: { ...policy.body.durations, jointConsent: rule } } };
    const [due] = await computeDueDates({ policy: withRule, requests: [{ key: 'jointConsent', ruleKey: 'jointConsent', start }] });
    return due!;
  }

  async function queuedKeys(trx: Kysely<Database>, key: string): Promise<string[]> {
    const rows = await trx.selectFrom('notifications').select('idempotency_key').where('idempotency_key', 'like', `${key}#%`).orderBy('id').execute();
    return rows.map((r) => r.idempotency_key);
  }

  /** 发起联名: the draft, its signers and one invitation per co-signer with an address, at once. */
  async function openJointDraft(args: OpenJointDraftArgs): Promise<{ view: JointDraftView; notificationKeys: string[] }> {
    const session = await db.selectFrom('sessions').select('code').where('code', '=', args.sessionCode).executeTakeFirst();
    if (!session) throw refuse(FailureType.INVALID_INPUT, `届次「${args.sessionCode}」不存在`, 'sessionCode');
    const due = await consentExpiry(args.sessionCode, args.now);
    return db.transaction().execute(async (trx) => {
      const existing = await getJointDraft(trx, args.workflowId);
      if (existing) return { view: viewOf(existing, await getJointSigners(trx, args.workflowId)), notificationKeys: await queuedKeys(trx, args.key) };
      const taken = await trx
        .selectFrom('proposals')
        .select('workflow_id')
        .where('session_code', '=', args.sessionCode)
        .where('receipt_no', '=', args.receiptNo)
        .executeTakeFirst();
      if (taken) throw refuse(FailureType.CONFLICT, `登记号 ${args.receiptNo} 在本届次已登记过提案，请换一个登记号`, 'receiptNo');
      const signers = [await resolveSigner(trx, args.firstSigner, 0, 'firstSigner')];
      for (const [i, s] of args.coSigners.entries()) signers.push(await resolveSigner(trx, s, i + 1, `coSigners[${i}]`));
      const seen = new Set<string>();
      for (const s of signers) {
        const id = s.proposerId !== null ? `id:${s.proposerId}` : `${s.name}|${s.email ?? ''}`;
        const byName = `${s.name}|${s.email ?? ''}`;
        if (seen.has(id) || seen.has(byName))
          throw refuse(FailureType.INVALID_INPUT, `联名人「${s.name}」重复出现`, s.position === 0 ? 'firstSigner' : `coSigners[${s.position - 1}]`);
        seen.add(id).add(byName);
      }
      await insertJointDraft(
        trx,
        {
          workflowId: args.workflowId,
          sessionCode: args.sessionCode,
          receiptNo: args.receiptNo,
          title: args.title.trim(),
          bodyHash: args.bodyHash,
          topic: args.topic,
          expiresAt: due.dueAt,
          expiryExplanation: due.explanation,
          calendarConfirmed: due.calendarConfirmed,
          openedByUserId: args.actor.userId || null,
          now: args.now,
        },
        signers,
      );
      await appendEvent(
        trx,
        event(args.key, args.workflowId, 'jointOpen', args.actor, args.now, {
          receiptNo: args.receiptNo,
          title: args.title.trim(),
          signers: signers.length,
          expiresAt: due.dueAt,
        }),
      );
      const keys: string[] = [];
      const first = signers[0]!;
      for (const s of signers.slice(1)) {
        if (!s.email) continue; // 纸质邀请: the office prints it from its list
        const token = links.sign({ draftId: args.workflowId, position: s.position, expiresAt: due.dueAt });
        const mail = invitationMail({
          name: s.name,
          firstSigner: first.name,
          title: args.title.trim(),
          expiresAt: due.dueAt,
          link: links.url(token),
          coSignerCount: signers.length - 1,
        });
        const key = notificationKey(args.key, s.position, `joint_invitation:${s.position}`);
        await enqueueNotification(trx, {
          idempotencyKey: key,
          workflowId: args.workflowId,
          kind: 'joint_invitation',
          to: [s.email],
          cc: [],
          subject: mail.subject,
          bodyText: mail.text,
          bodyHtml: mail.html,
        });
        keys.push(key);
      }
      const draft = (await getJointDraft(trx, args.workflowId))!;
      return { view: viewOf(draft, await getJointSigners(trx, args.workflowId)), notificationKeys: keys };
    });
  }

  /** A co-signer's answer, through the link or entered by the office from paper. */
  async function recordJointAnswer(args: {
    key: string;
    workflowId: string;
    actor: Actor;
    position: number;
    status: SignerStatus;
    comment: string | null;
    now: string;
  }): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const paper = args.status === 'paper_accepted' || args.status === 'paper_declined';
      const fresh = await appendEvent(
        trx,
        event(args.key, args.workflowId, paper ? 'jointPaperAnswer' : 'jointAnswer', args.actor, args.now, {
          position: args.position,
          status: args.status,
          comment: args.comment,
        }),
      );
      if (!fresh) return;
      await setSignerAnswer(trx, {
        workflowId: args.workflowId,
        position: args.position,
        status: args.status,
        comment: args.comment,
        byUserId: paper ? args.actor.userId || null : null,
        now: args.now,
      });
    });
  }

  /** 提交 (to the office) or 登记 begins; whoever had not answered is recorded as never having answered. */
  async function recordJointSubmission(args: {
    key: string;
    workflowId: string;
    actor: Actor;
    status: JointDraftStatus;
    force: boolean;
    expiredPositions: number[];
    now: string;
  }): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const fresh = await appendEvent(
        trx,
        event(args.key, args.workflowId, 'jointSubmit', args.actor, args.now, { status: args.status, force: args.force, unanswered: args.expiredPositions }),
      );
      if (!fresh) return;
      await expireInvited(trx, args.workflowId, args.now);
      await updateJointDraft(trx, args.workflowId, {
        status: args.status,
        consentClosed: true,
        submittedAt: args.now,
        submittedByUserId: args.actor.userId || null,
        now: args.now,
      });
    });
  }

  async function recordJointRegistration(args: { key: string; workflowId: string; actor: Actor; proposalWorkflowId: string; now: string }): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const fresh = await appendEvent(trx, event(args.key, args.workflowId, 'jointRegistered', args.actor, args.now, { proposalWorkflowId: args.proposalWorkflowId }));
      if (!fresh) return;
      await updateJointDraft(trx, args.workflowId, { status: 'registered', proposalWorkflowId: args.proposalWorkflowId, registeredAt: args.now, now: args.now });
    });
  }

  /** 撤回: the draft ends unregistered; co-signers who were asked by mail are told it is off. */
  async function recordJointWithdrawal(args: { key: string; workflowId: string; actor: Actor; reason: string; now: string }): Promise<{ notificationKeys: string[] }> {
    return db.transaction().execute(async (trx) => {
      const fresh = await appendEvent(trx, event(args.key, args.workflowId, 'jointWithdrawn', args.actor, args.now, { reason: args.reason }));
      if (!fresh) return { notificationKeys: await queuedKeys(trx, args.key) };
      await expireInvited(trx, args.workflowId, args.now);
      await updateJointDraft(trx, args.workflowId, { status: 'withdrawn', consentClosed: true, now: args.now });
      const draft = (await getJointDraft(trx, args.workflowId))!;
      const signers = await getJointSigners(trx, args.workflowId);
      const told = signers.filter((s) => s.position > 0 && s.email && s.status !== 'declined' && s.status !== 'paper_declined');
      if (told.length === 0) return { notificationKeys: [] };
      const mail = withdrawnMail({ title: draft.title, firstSigner: signers[0]!.name, reason: args.reason });
      const key = notificationKey(args.key, 0, 'joint_withdrawn');
      await enqueueNotification(trx, {
        idempotencyKey: key,
        workflowId: args.workflowId,
        kind: 'joint_withdrawn',
        to: told.map((s) => s.email!),
        cc: [],
        subject: mail.subject,
        bodyText: mail.text,
        bodyHtml: mail.html,
      });
      return { notificationKeys: [key] };
    });
  }

  /** The window closed (expiry, or everyone answered): the first signer and the office get the result. */
  async function closeJointConsent(args: {
    key: string;
    workflowId: string;
    reason: 'expired' | 'all_answered';
    now: string;
  }): Promise<{ notificationKeys: string[] }> {
    return db.transaction().execute(async (trx) => {
      const fresh = await appendEvent(trx, event(args.key, args.workflowId, 'jointConsentClosed', null, args.now, { reason: args.reason }));
      if (!fresh) return { notificationKeys: await queuedKeys(trx, args.key) };
      await expireInvited(trx, args.workflowId, args.now);
      await updateJointDraft(trx, args.workflowId, { consentClosed: true, now: args.now });
      const draft = (await getJointDraft(trx, args.workflowId))!;
      const signers = await getJointSigners(trx, args.workflowId);
      const co = signers.filter((s) => s.position > 0);
      const mail = consentClosedMail({
        title: draft.title,
        receiptNo: draft.receipt_no,
        firstSigner: signers[0]!.name,
        reason: args.reason,
        expiresAt: new Date(draft.expires_at).toISOString(),
        accepted: co.filter((s) => s.status === 'accepted' || s.status === 'paper_accepted').map((s) => s.name),
        declined: co.filter((s) => s.status === 'declined' || s.status === 'paper_declined').map((s) => s.name),
        unanswered: co.filter((s) => s.status === 'expired').map((s) => s.name),
      });
      const office = await resolveRecipients(trx, { office: true });
      const firstEmail = signers[0]!.email;
      // A first signer without e-mail hears from the office, which gets the result either way.
      const to = firstEmail ? [firstEmail] : office;
      const key = notificationKey(args.key, 0, 'joint_consent_closed');
      await enqueueNotification(trx, {
        idempotencyKey: key,
        workflowId: args.workflowId,
        kind: 'joint_consent_closed',
        to,
        cc: firstEmail ? office.filter((a) => a !== firstEmail) : [],
        subject: mail.subject,
        bodyText: mail.text,
        bodyHtml: mail.html,
      });
      return { notificationKeys: [key] };
    });
  }

  return { openJointDraft, recordJointAnswer, recordJointSubmission, recordJointRegistration, recordJointWithdrawal, closeJointConsent };
}

export type JointConsentActivities = ReturnType<typeof makeJointConsentActivities>;
