import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../activities/index.js';
import type { Db } from '../../db/connection.js';
import { projection, realActivities, registeredProposal, type RealActivities } from '../support/activities.js';
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

const NOW = '2026-03-02T02:00:00.000Z';
const allocate = (org: Org, key: string, format = '第{n}号', now = NOW) => acts.allocateProposalNumber({ key, sessionCode: org.sessionCode, format, now });

/** 立案 with a number a committee member typed by hand, as the filing step records it. */
async function filedByHand(org: Org, proposalNo: string): Promise<void> {
  const p = await registeredProposal(db, acts, org);
  await acts.recordStep({
    key: `${p.workflowId}:${uniq('upd-')}`,
    workflowId: p.workflowId,
    actor: org.actors.committee,
    record: { step: 'file', unitId: null, summary: { outcome: 'filed', proposalNo }, notifications: [] },
    projection: projection({ stage: 'filed', filingOutcome: 'filed', proposalNo }),
    now: NOW,
  });
}

describe('allocateProposalNumber', () => {
  it('takes the session’s next number in the policy’s format', async () => {
    const org = await seedOrg(db);
    const numbers = [];
    for (let i = 0; i < 3; i++) numbers.push((await allocate(org, uniq('k'))).proposalNo);
    expect(numbers).toEqual(['第1号', '第2号', '第3号']);

    const padded = await seedOrg(db);
    expect((await allocate(padded, uniq('k'), '第{year}{n4}号')).proposalNo).toBe('第20260001号');
    // The year is the filing day's year in Shanghai, not in UTC.
    expect((await allocate(padded, uniq('k'), '{year}-{n3}', '2026-12-31T16:30:00.000Z')).proposalNo).toBe('2027-002');
  });

  it('answers the same number for the same key, without taking another', async () => {
    const org = await seedOrg(db);
    const key = uniq('k');
    const first = await allocate(org, key);
    expect(await allocate(org, key)).toEqual(first);
    expect(await allocate(org, key, '第{year}{n4}号', '2027-05-01T00:00:00.000Z')).toEqual(first);
    expect((await allocate(org, uniq('k'))).proposalNo).toBe('第2号');
    const rows = await db
      .selectFrom('proposal_number_allocations')
      .select(['idempotency_key', 'serial'])
      .where('session_code', '=', org.sessionCode)
      .orderBy('serial')
      .execute();
    expect(rows.map((r) => r.serial)).toEqual([1, 2]);
  });

  it('skips numbers a committee typed by hand', async () => {
    const org = await seedOrg(db);
    await filedByHand(org, '第1号');
    await filedByHand(org, '第2号');
    await filedByHand(org, '第4号');
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push((await allocate(org, uniq('k'))).proposalNo);
    expect(taken).toEqual(['第3号', '第5号', '第6号']);
  });

  it('hands out distinct consecutive numbers to concurrent filings', async () => {
    const org = await seedOrg(db);
    const results = await Promise.all(Array.from({ length: 8 }, () => allocate(org, uniq('k'))));
    expect(results.map((r) => r.proposalNo).sort()).toEqual(['第1号', '第2号', '第3号', '第4号', '第5号', '第6号', '第7号', '第8号']);
  });

  it('keeps one sequence per session', async () => {
    const a = await seedOrg(db);
    const b = await seedOrg(db);
    await allocate(a, uniq('k'));
    await allocate(a, uniq('k'));
    expect((await allocate(b, uniq('k'))).proposalNo).toBe('第1号');
  });
});
