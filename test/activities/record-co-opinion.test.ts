import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../activities/index.js';
import type { RecordCoOpinionArgs } from '../../activities/record-co-opinion.js';
import type { Db } from '../../db/connection.js';
import { putText } from '../../db/repositories/blobs.js';
import { counts, projection, realActivities, registeredProposal, rowsOf, task, type RealActivities, type Registered } from '../support/activities.js';
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

/** A proposal assigned to the lead unit with co1 and co2 as co-units (会办). */
async function assigned(): Promise<Registered> {
  const p = await registeredProposal(db, acts, org);
  const { lead, co1, co2 } = org.units;
  await acts.recordStep({
    key: `${p.workflowId}:${uniq('upd-')}`,
    workflowId: p.workflowId,
    actor: org.actors.office,
    record: { step: 'assign', unitId: null, summary: {}, notifications: [] },
    projection: projection({ stage: 'handling', handlingMode: 'lead', leadUnitId: lead, unitIds: [lead, co1, co2] }),
    tasks: [task(lead, 'lead'), task(co1, 'co'), task(co2, 'co')],
    now: '2026-03-02T01:00:00.000Z',
  });
  return p;
}

function opinionArgs(p: Registered, overrides: Partial<RecordCoOpinionArgs> = {}): RecordCoOpinionArgs {
  return {
    key: `${p.workflowId}:${uniq('upd-')}`,
    parentWorkflowId: p.workflowId,
    unitId: org.units.co1,
    round: 0,
    leadUnitId: org.units.lead,
    title: `关于加快推进数字经济高质量发展的建议`,
    proposalNo: '第12号',
    kind: 'opinion',
    bodyHash: null,
    actor: org.actors.co1Leader,
    now: '2026-03-06T02:00:00.000Z',
    ...overrides,
  };
}

describe('recordCoOpinion', () => {
  it('records a signed opinion: its 提函 number, the document, the co-unit’s task and the note to the lead unit', async () => {
    const p = await assigned();
    const bodyHash = await putText(db, `会办意见：建议加强协同${uniq()}`);
    const args = opinionArgs(p, { bodyHash });
    const result = await acts.recordCoOpinion(args);

    const prefix = (await db.selectFrom('units').select('doc_prefix').where('id', '=', org.units.co1).executeTakeFirstOrThrow()).doc_prefix;
    expect(result.docNo).toMatch(new RegExp(`^${prefix}提函〔2026〕\\d+号$`));
    expect(result.notificationKeys).toEqual([`${args.key}#0:co_opinion_received`]);
    const rows = await rowsOf(db, p.workflowId);
    const event = rows.events.find((e) => e.idempotency_key === args.key)!;
    expect(event).toMatchObject({ step: 'submitCoOpinion', actor_user_id: org.actors.co1Leader.userId, actor_unit_id: org.units.co1 });
    expect(event.summary).toMatchObject({ kind: 'opinion', bodyHash, docNo: result.docNo, round: 0 });
    expect(rows.documents.map((d) => [d.kind, d.content_hash, d.title])).toEqual([['co_opinion', bodyHash, `${result.docNo} 关于《${args.title}》的会办意见`]]);
    const co1 = rows.tasks.find((t) => t.unit_id === org.units.co1)!;
    expect(co1).toMatchObject({ status: 'submitted', opinion_hash: bodyHash, completed_at: new Date(args.now) });
    // The other co-unit's task is untouched.
    expect(rows.tasks.find((t) => t.unit_id === org.units.co2)).toMatchObject({ status: 'due', completed_at: null });
    expect(rows.notifications.map((n) => [n.idempotency_key, n.kind])).toEqual([[`${args.key}#0:co_opinion_received`, 'co_opinion_received']]);
    expect(rows.notifications[0]!.to_addrs).toContain(`${org.units.lead}@units.test`);
  });

  it('changes nothing and takes no second number when the same key runs again', async () => {
    const p = await assigned();
    const args = opinionArgs(p, { bodyHash: await putText(db, `会办意见${uniq()}`) });
    const first = await acts.recordCoOpinion(args);
    const before = await rowsOf(db, p.workflowId);
    const numbersBefore = await db.selectFrom('doc_numbers').select('doc_no').where('unit_id', '=', org.units.co1).execute();

    expect(await acts.recordCoOpinion(args)).toEqual(first);
    expect(await acts.recordCoOpinion({ ...args, now: '2026-03-07T02:00:00.000Z' })).toEqual(first);

    const after = await rowsOf(db, p.workflowId);
    expect(counts(after)).toEqual(counts(before));
    expect(after).toEqual(before);
    expect(await db.selectFrom('doc_numbers').select('doc_no').where('unit_id', '=', org.units.co1).execute()).toEqual(numbersBefore);
  });

  it('records 无意见 without a number or a document', async () => {
    const p = await assigned();
    const serialBefore = await db.selectFrom('doc_numbers').select('doc_no').where('unit_id', '=', org.units.co2).execute();
    const args = opinionArgs(p, { unitId: org.units.co2, kind: 'no_opinion', actor: org.actors.co2Liaison });
    const result = await acts.recordCoOpinion(args);

    expect(result.docNo).toBeNull();
    const rows = await rowsOf(db, p.workflowId);
    expect(rows.documents).toHaveLength(0);
    expect(rows.tasks.find((t) => t.unit_id === org.units.co2)).toMatchObject({ status: 'no_opinion', opinion_hash: null });
    expect(await db.selectFrom('doc_numbers').select('doc_no').where('unit_id', '=', org.units.co2).execute()).toEqual(serialBefore);
  });

  it('gives successive opinions of one unit successive numbers, separate from its reply numbers', async () => {
    const fresh = await seedOrg(db);
    const opinions = [];
    for (let i = 0; i < 3; i++) {
      const p = await registeredProposal(db, acts, fresh);
      opinions.push(
        await acts.recordCoOpinion({
          ...opinionArgs(p, { unitId: fresh.units.co1, leadUnitId: fresh.units.lead, actor: fresh.actors.co1Leader }),
          bodyHash: await putText(db, `会办意见${uniq()}`),
        }),
      );
    }
    const prefix = (await db.selectFrom('units').select('doc_prefix').where('id', '=', fresh.units.co1).executeTakeFirstOrThrow()).doc_prefix;
    expect(opinions.map((o) => o.docNo)).toEqual([1, 2, 3].map((n) => `${prefix}提函〔2026〕${n}号`));
    expect(await db.selectFrom('unit_doc_sequences').select(['kind', 'last_serial']).where('unit_id', '=', fresh.units.co1).execute()).toEqual([
      { kind: 'opinion', last_serial: 3 },
    ]);
  });

  it('queues no note when the proposal has no lead unit', async () => {
    const p = await assigned();
    const result = await acts.recordCoOpinion(opinionArgs(p, { leadUnitId: null, kind: 'no_opinion' }));
    expect(result.notificationKeys).toEqual([]);
    expect((await rowsOf(db, p.workflowId)).notifications).toHaveLength(0);
  });
});
