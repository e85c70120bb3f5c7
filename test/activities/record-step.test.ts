import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { putText, sha256 } from '../../db/repositories/blobs.js';
import type { RecordStepArgs } from '../../activities/record-step.js';
import type { Activities } from '../../activities/index.js';
import { counts, failureOf, projection, realActivities, registeredProposal, rowsOf, task, type RealActivities } from '../support/activities.js';
import { seedOrg, testDb, uniq, type Org } from '../support/context.js';

let db: Db;
let real: RealActivities;
let acts: Activities;
let org: Org;

beforeAll(async () => {
  db = testDb();
  real = realActivities(db);
  acts = real.acts;
  org = await seedOrg(db);
});
afterAll(async () => {
  real?.close();
  await db?.destroy();
});

/** 交办 (lead + one co-unit) as the workflow records it: projection, two unit tasks, two mails. */
function assignStep(workflowId: string, key = `${workflowId}:${uniq('upd-')}`): RecordStepArgs {
  const { lead, co1 } = org.units;
  return {
    key,
    workflowId,
    actor: org.actors.office,
    record: {
      step: 'assign',
      unitId: null,
      summary: { mode: 'lead', units: [lead, co1] },
      notifications: [
        { kind: 'assigned', to: { unitLiaisons: [lead] }, cc: { unitLeaders: [lead] }, params: { title: '标题', proposalNo: '第1号', role: 'lead', dueAt: null } },
        { kind: 'assigned_co', to: { unitLiaisons: [co1] }, cc: { unitLeaders: [co1] }, params: { title: '标题', proposalNo: '第1号', role: 'co', dueAt: null } },
      ],
    },
    projection: projection({ stage: 'handling', handlingMode: 'lead', leadUnitId: lead, unitIds: [lead, co1], proposalNo: `第${uniq('')}号` }),
    tasks: [task(lead, 'lead'), task(co1, 'co')],
    now: '2026-03-02T01:00:00.000Z',
  };
}

describe('recordStep', () => {
  it('writes the event row, the projection, the unit tasks and the outbox rows of one step', async () => {
    const p = await registeredProposal(db, acts, org);
    const args = assignStep(p.workflowId);
    const result = await acts.recordStep(args);

    expect(result.alreadyRecorded).toBe(false);
    expect(result.notificationKeys).toEqual([`${args.key}#0:assigned`, `${args.key}#1:assigned_co`]);
    const rows = await rowsOf(db, p.workflowId);
    const assignEvents = rows.events.filter((e) => e.step === 'assign');
    expect(assignEvents).toHaveLength(1);
    expect(assignEvents[0]).toMatchObject({ idempotency_key: args.key, actor_user_id: org.actors.office.userId, actor_role: 'office', summary: { mode: 'lead' } });
    expect(rows.proposal).toMatchObject({ stage: 'handling', handling_mode: 'lead', lead_unit_id: org.units.lead, unit_ids: [org.units.lead, org.units.co1] });
    expect(rows.tasks.map((t) => [t.unit_id, t.role, t.status, t.round])).toEqual([
      [org.units.lead, 'lead', 'drafting', 0],
      [org.units.co1, 'co', 'due', 0],
    ]);
    expect(rows.notifications.map((n) => [n.idempotency_key, n.kind, n.status])).toEqual([
      [`${args.key}#0:assigned`, 'assigned', 'pending'],
      [`${args.key}#1:assigned_co`, 'assigned_co', 'pending'],
    ]);
    // Recipients are resolved from the directory: the unit's mailbox and liaison, its leader in cc.
    expect(rows.notifications[0]!.to_addrs).toEqual(expect.arrayContaining([`${org.units.lead}@units.test`, `${org.prefix}-leadLiaison@staff.test`.toLowerCase()]));
    expect(rows.notifications[0]!.cc_addrs).toEqual([`${org.units.lead}-leader@units.test`]);
  });

  it('changes nothing when the same key runs again (a retried activity), and answers the same keys', async () => {
    const p = await registeredProposal(db, acts, org);
    const args = assignStep(p.workflowId);
    const first = await acts.recordStep(args);
    const before = await rowsOf(db, p.workflowId);

    const again = await acts.recordStep(args);
    // Even a retry that carries a different projection cannot overwrite what the first attempt wrote.
    const differing = await acts.recordStep({ ...args, projection: projection({ stage: 'withdrawn' }), tasks: [], now: '2026-03-09T00:00:00.000Z' });
    const after = await rowsOf(db, p.workflowId);

    expect(again).toEqual({ notificationKeys: first.notificationKeys, alreadyRecorded: true });
    expect(differing.alreadyRecorded).toBe(true);
    expect(counts(after)).toEqual(counts(before));
    expect(after).toEqual(before);
  });

  it('records a draft, a consultation, a rating and a publication in the same step transaction', async () => {
    const p = await registeredProposal(db, acts, org);
    await acts.recordStep(assignStep(p.workflowId));
    const draftHash = await putText(db, `答复稿${uniq()}`);
    const summaryHash = await putText(db, `协商纪要${uniq()}`);
    const key = `${p.workflowId}:${uniq('upd-')}`;
    await acts.recordStep({
      key,
      workflowId: p.workflowId,
      actor: org.actors.leadLiaison,
      record: {
        step: 'composite',
        unitId: org.units.lead,
        summary: {},
        replyVersion: { unitId: org.units.lead, version: 1, round: 0, bodyHash: draftHash, replyClass: 'A', changeNote: '初稿' },
        consultation: { unitId: org.units.lead, round: 0, date: '2026-03-03', way: 'phone', participants: '委员本人', summaryHash },
        rating: { proposerId: p.proposerIds[0]!, round: 0, attitude: 'satisfied', result: 'basically_satisfied', comment: null, onBehalf: false },
        publication: { mode: 'summary', reason: '涉及内部数据', status: 'proposed' },
        notifications: [],
      },
      now: '2026-03-03T02:00:00.000Z',
    });
    const rows = await rowsOf(db, p.workflowId);
    expect(rows.replyVersions.map((v) => [v.unit_id, v.version, v.body_hash, v.author_user_id])).toEqual([
      [org.units.lead, 1, draftHash, org.actors.leadLiaison.userId],
    ]);
    expect(rows.consultations.map((c) => [c.idempotency_key, c.way, c.contact_date, c.summary_hash])).toEqual([[key, 'phone', '2026-03-03', summaryHash]]);
    expect(rows.ratings.map((r) => [r.proposer_id, r.attitude, r.result])).toEqual([[p.proposerIds[0], 'satisfied', 'basically_satisfied']]);
    expect(rows.publications.map((r) => [r.mode, r.status, r.proposed_by])).toEqual([['summary', 'proposed', org.actors.leadLiaison.userId]]);
    // A step of a unit's child workflow leaves the proposal row to its parent.
    expect(rows.proposal!.stage).toBe('handling');
  });

  it('is one transaction: a step that fails half-way leaves no event, no projection change and no mail behind', async () => {
    const p = await registeredProposal(db, acts, org);
    await acts.recordStep(assignStep(p.workflowId));
    const before = await rowsOf(db, p.workflowId);
    const args: RecordStepArgs = {
      key: `${p.workflowId}:${uniq('upd-')}`,
      workflowId: p.workflowId,
      actor: org.actors.leadLiaison,
      record: {
        step: 'saveDraft',
        unitId: org.units.lead,
        summary: { version: 1 },
        // The draft's text was never stored: the reply_versions insert fails on its foreign key,
        // after the event row and the projection were already written inside the transaction.
        replyVersion: { unitId: org.units.lead, version: 1, round: 0, bodyHash: sha256(`never stored ${uniq()}`), replyClass: 'A', changeNote: null },
        notifications: [{ kind: 'signoff_requested', to: { unitLeaders: [org.units.lead] }, params: { title: '标题', proposalNo: null, version: 1 } }],
      },
      projection: projection({ stage: 'dispatched', replyVersion: 1 }),
      tasks: [task(org.units.lead, 'lead', { status: 'signoff' })],
      now: '2026-03-04T02:00:00.000Z',
    };
    await failureOf(acts.recordStep(args));
    expect(await rowsOf(db, p.workflowId)).toEqual(before);
  });

  it('refuses a proposal number another proposal of the session holds, as a non-retryable CONFLICT', async () => {
    const taken = await registeredProposal(db, acts, org);
    const holder = assignStep(taken.workflowId);
    await acts.recordStep(holder);
    const p = await registeredProposal(db, acts, org);
    const clash = assignStep(p.workflowId);
    clash.projection = { ...clash.projection!, proposalNo: holder.projection!.proposalNo };

    const err = await failureOf(acts.recordStep(clash));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'CONFLICT', nonRetryable: true });
    expect(err.message).toContain(holder.projection!.proposalNo!);
    expect((await rowsOf(db, p.workflowId)).events.map((e) => e.step)).toEqual(['register']);
  });

  it('syncProjection brings the proposal row and unit tasks up to date without an event', async () => {
    const p = await registeredProposal(db, acts, org);
    const args = assignStep(p.workflowId);
    await acts.recordStep(args);
    const eventsBefore = (await rowsOf(db, p.workflowId)).events.length;
    await acts.syncProjection({
      workflowId: p.workflowId,
      projection: { ...args.projection!, nextDueKind: 'reply:x' },
      tasks: [task(org.units.lead, 'lead'), task(org.units.co1, 'co', { status: 'no_opinion', done: true })],
      now: '2026-03-05T02:00:00.000Z',
    });
    const rows = await rowsOf(db, p.workflowId);
    expect(rows.events).toHaveLength(eventsBefore);
    expect(rows.proposal!.next_due_kind).toBe('reply:x');
    const co = rows.tasks.find((t) => t.unit_id === org.units.co1)!;
    expect(co.status).toBe('no_opinion');
    expect(co.completed_at).toEqual(new Date('2026-03-05T02:00:00.000Z'));
  });
});
