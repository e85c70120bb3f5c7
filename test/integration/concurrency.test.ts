import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalClient } from '../../client/temporal.js';
import type { Db } from '../../db/connection.js';
import { putText } from '../../db/repositories/blobs.js';
import type { ProposalView } from '../../workflows/proposal/definitions.js';
import type { ActionInput, ActionName } from '../../workflows/proposal/machine.js';
import type { Actor } from '../../workflows/shared/types.js';
import { jointProposal, proposalClient, seedOrg, testDb, uniq, type Org } from '../support/context.js';
import { updateTrail, within } from '../support/workflow-fixtures.js';

// Issue 9, item 1: two valid actions on one proposal at the same moment must both count, once,
// everywhere. Through the real stack (the shared worker with the real activities, PostgreSQL,
// the dev server), pairs of different actions are fired at the same proposal; afterwards the
// workflow state, the read model, the audit trail and Temporal's completed Updates must agree.

let db: Db;
let proposals: ProposalClient;
let client: Client;
let org: Org;

beforeAll(async () => {
  db = testDb();
  proposals = await proposalClient();
  client = proposals.client;
  org = await seedOrg(db);
});
afterAll(async () => {
  await client?.connection.close();
  await db?.destroy();
});

const ANSWER_WITHIN_MS = 20_000;
const DAY = 86_400_000;
const beijingDay = (offsetDays: number) => new Date(Date.now() + 8 * 3600_000 + offsetDays * DAY).toISOString().slice(0, 10);

interface Fired {
  action: ActionName;
  updateId: string;
  fields: Record<string, unknown>;
  answer?: ProposalView;
}

async function handlingProposal(): Promise<{ id: string; later: string }> {
  const reg = jointProposal(org, uniq('R'));
  const { body, ...rest } = reg;
  const view = await proposals.register({ ...rest, bodyHash: await putText(db, body), actor: org.actors.office });
  const id = view.workflowId;
  await proposals.act(id, 'file', org.actors.committee, { outcome: 'filed', proposalNo: `第${uniq('')}号` });
  const assigned = await proposals.act(id, 'assign', org.actors.office, { mode: 'sole', units: [org.units.lead] });
  const due = assigned.deadlines[`reply:${org.units.lead}`]!;
  return { id, later: new Date(Date.parse(`${due.dueDate}T00:00:00Z`) + 20 * DAY).toISOString().slice(0, 10) };
}

/** One proposal, eight rounds of two different valid actions fired at the same moment. */
async function firePairs(id: string, later: string): Promise<Fired[]> {
  const o = org.actors;
  const text = (what: string) => putText(db, `${what}${uniq()}`);
  const consultation = async (way: ActionInput<'recordConsultation'>['way'], daysAgo: number) => ({
    date: beijingDay(-daysAgo),
    way,
    participants: '提案者、承办处室',
    summaryHash: await text('协商纪要'),
  });
  const draft = async () => ({ bodyHash: await text('答复稿'), replyClass: 'A' });
  type Shot = [ActionName, Actor, Record<string, unknown>];
  const rounds: (() => Promise<[Shot, Shot]>)[] = [
    async () => [
      ['recordConsultation', o.leadLiaison, await consultation('phone', 3)],
      ['saveDraft', o.leadLiaison, await draft()],
    ],
    async () => [
      ['saveDraft', o.leadLiaison, await draft()],
      ['saveDraft', o.leadLiaison, await draft()],
    ],
    async () => [
      ['recordConsultation', o.leadLiaison, await consultation('face_to_face', 2)],
      ['requestExtension', o.leadLiaison, { newDate: later, reason: '需要实地调研' }],
    ],
    async () => [
      ['recordConsultation', o.leadLiaison, await consultation('letter', 2)],
      ['recordConsultation', o.leadLiaison, await consultation('forum', 1)],
    ],
    async () => [
      ['saveDraft', o.leadLiaison, await draft()],
      ['recordNoConsultation', o.leadLiaison, { reason: '部分委员长期在外地' }],
    ],
    async () => [
      ['markKey', o.committee, { supervisingLeader: '王副主席' }],
      ['saveDraft', o.leadLiaison, await draft()],
    ],
    async () => [
      ['decideExtension', o.office, { unitId: org.units.lead, decision: 'approve', answer: '同意延期' }],
      ['saveDraft', o.leadLiaison, await draft()],
    ],
    async () => [
      ['overrideClass', o.office, { unitId: org.units.lead, replyClass: 'B', reason: '问题尚在解决之中' }],
      ['recordConsultation', o.leadLiaison, await consultation('site_visit', 0)],
    ],
  ];
  const fired: Fired[] = [];
  for (const round of rounds) {
    const shots = (await round()).map(([action, actor, fields]) => ({ action, actor, fields, updateId: uniq(`${action}-`) }));
    await Promise.all(
      shots.map(async (s) => {
        const f: Fired = { action: s.action, updateId: s.updateId, fields: s.fields };
        fired.push(f);
        f.answer = await within(ANSWER_WITHIN_MS, `${s.action} on ${id}`, proposals.act(id, s.action, s.actor, s.fields as never, s.updateId));
      }),
    );
  }
  return fired;
}

/** Workflow state, read model, audit trail and Temporal's history of one proposal agree on every action. */
async function expectAgreement(id: string, later: string, fired: Fired[]): Promise<void> {
  const byId = new Map(fired.map((f) => [f.updateId, f]));

  // Temporal: one run, every Update accepted once and completed once, successfully, first in first out.
  const { runId } = await client.workflow.getHandle(id).describe();
  const trail = await updateTrail(client, id, runId);
  expect(trail.types).not.toContain('workflowExecutionContinuedAsNew');
  const accepted = trail.accepted.filter((u) => byId.has(u));
  const completed = trail.completed.filter((u) => byId.has(u.updateId));
  expect(new Set(accepted).size).toBe(fired.length);
  expect([...accepted].sort()).toEqual([...byId.keys()].sort());
  expect(completed.every((u) => u.ok)).toBe(true);
  expect(completed.map((u) => u.updateId)).toEqual(accepted);
  const order = completed.map((u) => byId.get(u.updateId)!);

  // Audit trail: exactly one event row per action, keyed by workflow id + update id, in the order Temporal completed them.
  const events = await db.selectFrom('events').select(['idempotency_key', 'step']).where('workflow_id', '=', id).orderBy('id').execute();
  expect(events.map((e) => e.step)).toEqual(['register', 'file', 'assign', ...order.map((f) => f.action)]);
  expect(events.slice(3).map((e) => e.idempotency_key)).toEqual(order.map((f) => `${id}:${f.updateId}`));

  // Workflow state.
  const state = (await proposals.state(id))!;
  const track = state.tracks[0]!;
  const drafts = order.filter((f) => f.action === 'saveDraft');
  const consultations = order.filter((f) => f.action === 'recordConsultation');
  expect(track.drafts.map((d) => d.bodyHash)).toEqual(drafts.map((f) => f.fields.bodyHash));
  expect(track.drafts.map((d) => d.version)).toEqual(drafts.map((_f, i) => i + 1));
  expect(track.consultations).toBe(consultations.length);
  expect(track.faceToFace).toBe(consultations.filter((f) => ['face_to_face', 'site_visit', 'forum'].includes(f.fields.way as string)).length);
  expect(track.noConsultationReason).toBe('部分委员长期在外地');
  expect(track.replyClass).toBe('B');
  expect(state).toMatchObject({ stage: 'handling', keyProposal: true, supervisingLeader: '王副主席' });
  const deadline = state.deadlines[`reply:${org.units.lead}`]!;
  expect(deadline).toMatchObject({ dueDate: later, pendingExtension: null });
  expect(deadline.extensions).toHaveLength(1);
  // Each saveDraft answered with the proposal as its own step left it: its version, on top of those before.
  drafts.forEach((f, i) => expect(f.answer!.tracks[0]!.drafts.slice(-1)[0]).toMatchObject({ version: i + 1, bodyHash: f.fields.bodyHash }));

  // Read model.
  const versions = await db.selectFrom('reply_versions').select(['version', 'body_hash', 'round']).where('workflow_id', '=', id).orderBy('version').execute();
  expect(versions).toEqual(track.drafts.map((d) => ({ version: d.version, body_hash: d.bodyHash, round: 0 })));
  const consulted = await db.selectFrom('consultations').select(['idempotency_key', 'way', 'summary_hash']).where('workflow_id', '=', id).orderBy('id').execute();
  expect(consulted).toEqual(consultations.map((f) => ({ idempotency_key: `${id}:${f.updateId}`, way: f.fields.way, summary_hash: f.fields.summaryHash })));
  const row = await db.selectFrom('proposals').selectAll().where('workflow_id', '=', id).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ stage: 'handling', reply_version: drafts.length, reply_class: 'B', key_proposal: true, supervising_leader: '王副主席' });
  const tasks = await db.selectFrom('unit_tasks').selectAll().where('workflow_id', '=', id).execute();
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({ unit_id: org.units.lead, status: 'drafting', extension_count: 1, extension_pending_to: null, due_at: new Date(deadline.dueAt) });
}

describe('concurrent actions on one proposal', () => {
  it('keeps every one of 24 pairs of different concurrent actions, once, in workflow state, read model, audit trail and history', async () => {
    const started = Date.now();
    const subjects = await Promise.all([handlingProposal(), handlingProposal(), handlingProposal()]);
    const runs = await Promise.all(subjects.map(async (s) => ({ ...s, fired: await firePairs(s.id, s.later) })));
    expect(runs.flatMap((r) => r.fired)).toHaveLength(48);
    for (const r of runs) await expectAgreement(r.id, r.later, r.fired);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
