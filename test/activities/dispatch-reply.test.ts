import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackLinks } from '../../activities/feedback-link.js';
import type { DispatchReplyArgs } from '../../activities/dispatch-reply.js';
import type { Activities } from '../../activities/index.js';
import type { Db } from '../../db/connection.js';
import { getText, putText } from '../../db/repositories/blobs.js';
import { TEST_LINK_BASE, TEST_LINK_SECRET } from '../support/constants.js';
import { counts, failureOf, projection, realActivities, registeredProposal, rowsOf, task, type RealActivities, type Registered } from '../support/activities.js';
import { seedOrg, testDb, uniq, type Org } from '../support/context.js';

let db: Db;
let real: RealActivities;
let acts: Activities;

beforeAll(() => {
  db = testDb();
  real = realActivities(db);
  acts = real.acts;
});
afterAll(async () => {
  real?.close();
  await db?.destroy();
});

const unitPrefix = async (unitId: string) => (await db.selectFrom('units').select('doc_prefix').where('id', '=', unitId).executeTakeFirstOrThrow()).doc_prefix;
const lastSerial = async (unitId: string, year: number, kind: 'reply' | 'opinion') =>
  (await db.selectFrom('unit_doc_sequences').select('last_serial').where('unit_id', '=', unitId).where('year', '=', year).where('kind', '=', kind).executeTakeFirst())
    ?.last_serial ?? 0;

/** 答复寄发 of the lead unit's signed-off reply (lead + co1), as the workflow's dispatch step asks for it. */
async function dispatchArgs(org: Org, p: Registered, overrides: Partial<DispatchReplyArgs> = {}): Promise<DispatchReplyArgs> {
  const unitId = overrides.unitId ?? org.units.lead;
  const bodyHash = await putText(db, `一、已开展的工作${uniq()}。\n二、下一步工作。`);
  return {
    key: `${p.workflowId}:dispatch:${unitId}:round0`,
    workflowId: p.workflowId,
    unitId,
    round: 0,
    version: 2,
    replyClass: 'A',
    bodyHash,
    proposalNo: '第224号',
    title: `关于加快推进数字经济高质量发展的建议${org.prefix}`,
    recipients: p.proposerIds,
    raters: p.proposerIds,
    coUnits: [org.units.co1],
    feedbackDueAt: '2026-03-25T15:59:59.999Z',
    projection: projection({ stage: 'dispatched', handlingMode: 'lead', leadUnitId: unitId, unitIds: [unitId, org.units.co1], replyClass: 'A', replyVersion: 2 }),
    tasks: [task(unitId, 'lead', { status: 'dispatched', done: true }), task(org.units.co1, 'co', { status: 'submitted', done: true })],
    now: '2026-03-04T02:00:00.000Z',
    ...overrides,
  };
}

describe('dispatchReply', () => {
  let org: Org;
  beforeAll(async () => {
    org = await seedOrg(db);
  });

  it('takes the unit’s next reply number, stores the letter, records the step and queues the mails', async () => {
    const p = await registeredProposal(db, acts, org);
    const args = await dispatchArgs(org, p);
    const result = await acts.dispatchReply(args);

    const prefix = await unitPrefix(org.units.lead);
    expect(result.docNo).toBe(`${prefix}提〔2026〕1号`);
    expect(result.notificationKeys).toEqual([`${args.key}#0:reply`, `${args.key}#1:feedback:${p.proposerIds[0]}`, `${args.key}#2:feedback:${p.proposerIds[1]}`]);

    const rows = await rowsOf(db, p.workflowId);
    // The letter: stored per reply version, in the official order, with the number it took.
    expect(rows.documents).toHaveLength(1);
    expect(rows.documents[0]).toMatchObject({ kind: 'reply_letter', reply_version: 2, title: `${result.docNo} 答复函` });
    const letter = (await getText(db, rows.documents[0]!.content_hash))!;
    expect(letter.startsWith(`${result.docNo}`)).toBe(true);
    expect(letter).toContain(`张永庆${org.prefix}委员、李明${org.prefix}委员：`);
    expect(letter).toContain((await getText(db, args.bodyHash))!.split('\n')[0]);
    expect(letter).toContain('抄送：省科技厅，省政府办公厅，省政协提案委员会。');
    // The audit row and the projection.
    expect(rows.events.map((e) => [e.step, e.idempotency_key])).toEqual([
      ['register', `${p.workflowId}:register`],
      ['dispatch', args.key],
    ]);
    expect(rows.events[1]!.summary).toMatchObject({ docNo: result.docNo, unitId: org.units.lead, version: 2, letterHash: rows.documents[0]!.content_hash });
    expect(rows.proposal).toMatchObject({ stage: 'dispatched', reply_doc_no: result.docNo });
    expect(rows.tasks.map((t) => [t.unit_id, t.status])).toEqual([
      [org.units.lead, 'dispatched'],
      [org.units.co1, 'submitted'],
    ]);
    // The mails: the letter to every proposer, cc the co-unit, office and committee; one personal
    // feedback link per rater, each signed for that rater alone.
    const [reply, ...feedback] = rows.notifications;
    expect(reply).toMatchObject({ kind: 'reply', status: 'pending', to_addrs: [org.proposerEmails.first, org.proposerEmails.cosigner] });
    expect(reply!.cc_addrs).toEqual(expect.arrayContaining([`${org.units.co1}@units.test`, `${org.prefix}-office@staff.test`, `${org.prefix}-committee@staff.test`]));
    expect(reply!.subject).toContain(result.docNo);
    const links = createFeedbackLinks(TEST_LINK_SECRET, TEST_LINK_BASE);
    expect(feedback.map((n) => n.to_addrs)).toEqual([[org.proposerEmails.first], [org.proposerEmails.cosigner]]);
    feedback.forEach((n, i) => {
      const token = /\/feedback\/(\S+)/.exec(n.body_text)![1]!;
      expect(links.verify(token, new Date('2026-03-10T00:00:00Z'))).toMatchObject({ workflowId: p.workflowId, proposerId: p.proposerIds[i], round: 0 });
    });
  });

  it('is a no-op with the same key: no second number, no second letter, no second mail', async () => {
    const p = await registeredProposal(db, acts, org);
    const args = await dispatchArgs(org, p);
    const first = await acts.dispatchReply(args);
    const before = await rowsOf(db, p.workflowId);
    const serialBefore = await lastSerial(org.units.lead, 2026, 'reply');
    const numbersBefore = await db.selectFrom('doc_numbers').select(['idempotency_key', 'doc_no']).where('unit_id', '=', org.units.lead).orderBy('serial').execute();

    const again = await acts.dispatchReply(args);
    // A retry scheduled later (another `now`) still finds the number it took.
    const later = await acts.dispatchReply({ ...args, now: '2026-03-05T09:00:00.000Z' });

    expect(again).toEqual(first);
    expect(later).toEqual(first);
    const after = await rowsOf(db, p.workflowId);
    expect(counts(after)).toEqual(counts(before));
    expect(after).toEqual(before);
    expect(await lastSerial(org.units.lead, 2026, 'reply')).toBe(serialBefore);
    expect(await db.selectFrom('doc_numbers').select(['idempotency_key', 'doc_no']).where('unit_id', '=', org.units.lead).orderBy('serial').execute()).toEqual(
      numbersBefore,
    );
  });

  it('numbers per unit, year and kind, with no gap and no double under concurrent dispatches', async () => {
    const fresh = await seedOrg(db);
    const proposals = await Promise.all(Array.from({ length: 6 }, () => registeredProposal(db, acts, fresh)));
    const results = await Promise.all(proposals.map(async (p) => acts.dispatchReply(await dispatchArgs(fresh, p))));
    const prefix = await unitPrefix(fresh.units.lead);
    expect(results.map((r) => r.docNo).sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `${prefix}提〔2026〕${n}号`).sort());

    // Another unit has its own sequence; so has another year; a co-handling opinion (提函) too.
    const other = await registeredProposal(db, acts, fresh);
    const byOther = await acts.dispatchReply(await dispatchArgs(fresh, other, { unitId: fresh.units.co2 }));
    expect(byOther.docNo).toBe(`${await unitPrefix(fresh.units.co2)}提〔2026〕1号`);
    const nextYear = await registeredProposal(db, acts, fresh);
    // 2026-12-31T17:00Z is already 1 January 2027 in Shanghai.
    const inNextYear = await acts.dispatchReply(await dispatchArgs(fresh, nextYear, { now: '2026-12-31T17:00:00.000Z' }));
    expect(inNextYear.docNo).toBe(`${prefix}提〔2027〕1号`);
    const opinion = await acts.recordCoOpinion({
      key: `${other.workflowId}:${uniq('upd-')}`,
      parentWorkflowId: other.workflowId,
      unitId: fresh.units.lead,
      round: 0,
      leadUnitId: fresh.units.co2,
      title: '标题',
      proposalNo: null,
      kind: 'opinion',
      bodyHash: await putText(db, `会办意见${uniq()}`),
      actor: fresh.actors.leadLiaison,
      now: '2026-03-04T02:00:00.000Z',
    });
    expect(opinion.docNo).toBe(`${prefix}提函〔2026〕1号`);
    expect(await lastSerial(fresh.units.lead, 2026, 'reply')).toBe(6);
  });

  it('leaves no gap when a dispatch fails after taking its number: the whole step rolls back', async () => {
    const fresh = await seedOrg(db);
    const p = await registeredProposal(db, acts, fresh);
    const good = await dispatchArgs(fresh, p);
    // The last write of the step (a unit task of a unit that is not in the directory) fails.
    const failing = { ...good, tasks: [...good.tasks, task(`${fresh.prefix}-nowhere`, 'co')] };
    await failureOf(acts.dispatchReply(failing));
    expect(await lastSerial(fresh.units.lead, 2026, 'reply')).toBe(0);
    expect((await rowsOf(db, p.workflowId)).documents).toHaveLength(0);

    const retried = await acts.dispatchReply(good);
    expect(retried.docNo).toBe(`${await unitPrefix(fresh.units.lead)}提〔2026〕1号`);
  });

  it('refuses a unit that is not in the directory, non-retryably, taking nothing', async () => {
    const p = await registeredProposal(db, acts, org);
    const err = await failureOf(acts.dispatchReply(await dispatchArgs(org, p, { unitId: `${org.prefix}-nowhere`, tasks: [] })));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'NOT_FOUND', nonRetryable: true });
    expect(counts(await rowsOf(db, p.workflowId))).toMatchObject({ events: 1, documents: 0, notifications: 0 });
  });

  it('sends no feedback links when there is no feedback window, and no cc twice to a proposer', async () => {
    const p = await registeredProposal(db, acts, org);
    const result = await acts.dispatchReply(await dispatchArgs(org, p, { feedbackDueAt: null }));
    expect(result.notificationKeys).toHaveLength(1);
    const [reply] = (await rowsOf(db, p.workflowId)).notifications;
    expect(reply!.body_text).not.toContain('/feedback/');
    expect(reply!.cc_addrs.filter((a) => reply!.to_addrs.includes(a))).toEqual([]);
  });
});
