import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLetter } from '../../../activities/documents/letter-model.js';
import { resolveStyle } from '../../../activities/documents/letter-style.js';
import type { Activities } from '../../../activities/index.js';
import { searchArchive } from '../../../client/read/search/archive.js';
import { makePublishReply, previewPublication } from '../../../activities/publication/publish-reply.js';
import { diffLines, publicVersion, REDACTED } from '../../../activities/publication/public-version.js';
import type { Db } from '../../../db/connection.js';
import { putText } from '../../../db/repositories/blobs.js';
import { getPublished, listPublished, publicationWindow, putPublicationProfile, setPublicationSerial } from '../../../db/repositories/publications.js';
import { failureOf, projection, realActivities, registeredProposal, rowsOf, task, type RealActivities, type Registered } from '../../support/activities.js';
import { seedOrg, testDb, uniq, type Org } from '../../support/context.js';
import { factsOf, SEED_000 } from '../../unit/activities/documents/seed-fixtures.js';
import { TEST_LINK_BASE } from '../../support/constants.js';

// 公开, its data side: the public version (the proposer's personal details out, the unit's
// contact line in), the diff the office sees before approving, and publishing with a 索引号
// from the organisation's sequence, its metadata as on seed 000's page, its date against the
// window, and the public reads that return published entries only.

let db: Db;
let real: RealActivities;
let acts: Activities;
let publishReply: ReturnType<typeof makePublishReply>;

beforeAll(() => {
  db = testDb();
  real = realActivities(db);
  acts = real.acts;
  publishReply = makePublishReply(db, TEST_LINK_BASE);
});
afterAll(async () => {
  real?.close();
  await db?.destroy();
});

describe('the public version', () => {
  it('removes the proposer’s numbers and addresses wherever the drafter wrote them, and keeps the unit’s contact line', () => {
    const model = buildLetter(
      { ...factsOf(SEED_000), body: '一、办理情况\n经与您电话（13906661234）和邮件（zyq@example.cn）沟通，并到您家（座机0571-88880000）走访，形成如下意见。' },
      resolveStyle(SEED_000.deployment, SEED_000.unit),
    );
    const { model: published, redactions } = publicVersion(model, { mode: 'full', personal: ['0571-88880000'] });
    expect(published.body[1]!.text).toBe(`经与您电话（${REDACTED}）和邮件（${REDACTED}）沟通，并到您家（座机${REDACTED}）走访，形成如下意见。`);
    expect(redactions.map((r) => r.found).sort()).toEqual(['0571-88880000', '13906661234', 'zyq@example.cn']);
    expect(published.contact).toEqual(model.contact); // 联系人：韩志周，0571-87054876。
    expect(published.salutation).toBe('张永庆委员：');
  });

  it('shows a summary instead of the body in summary mode, and the office a diff of the two', () => {
    const model = buildLetter(factsOf(SEED_000), resolveStyle(SEED_000.deployment, SEED_000.unit));
    const { model: summary } = publicVersion(model, { mode: 'summary', summary: '我委已会同有关部门推进相关工作。', personal: [] });
    expect(summary.body).toEqual([{ level: 0, lead: null, text: '我委已会同有关部门推进相关工作。' }]);
    const diff = diffLines(['a', 'b', 'c'], ['a', 'x', 'c']);
    expect(diff).toEqual([
      { op: 'same', text: 'a' },
      { op: 'removed', text: 'b' },
      { op: 'added', text: 'x' },
      { op: 'same', text: 'c' },
    ]);
  });
});

/** A dispatched reply whose body quotes the first proposer's own mobile number. */
async function dispatchedProposal(org: Org): Promise<Registered> {
  const p = await registeredProposal(db, acts, org);
  await acts.dispatchReply({
    key: `${p.workflowId}:dispatch:${org.units.lead}:round0`,
    workflowId: p.workflowId,
    unitId: org.units.lead,
    round: 0,
    version: 1,
    replyClass: 'A',
    bodyHash: await putText(db, `一、办理情况\n经电话（13800000000）与您沟通${uniq()}，形成如下意见。\n二、下一步工作\n我们将抓好落实。`),
    proposalNo: '第224号',
    title: '关于加快推进数字经济高质量发展的建议',
    recipients: p.proposerIds,
    raters: p.proposerIds,
    coUnits: [],
    feedbackDueAt: null,
    projection: projection({ stage: 'dispatched', handlingMode: 'sole', leadUnitId: org.units.lead, unitIds: [org.units.lead], replyClass: 'A', replyVersion: 1 }),
    tasks: [task(org.units.lead, 'sole', { status: 'dispatched', done: true })],
    now: '2026-03-04T02:00:00.000Z',
  });
  return p;
}

async function decide(org: Org, p: Registered, mode: 'full' | 'summary' | 'none', reason: string | null = null): Promise<void> {
  await acts.recordStep({
    key: `${p.workflowId}:${uniq('upd-')}`,
    workflowId: p.workflowId,
    actor: org.actors.office,
    record: { step: 'approvePublication', unitId: null, summary: {}, publication: { mode, reason, status: 'approved' }, notifications: [] },
    now: '2026-03-10T02:00:00.000Z',
  });
}

describe('publishReply', () => {
  let org: Org;
  let orgCode: string;
  beforeAll(async () => {
    org = await seedOrg(db);
    orgCode = `9${String(Date.now()).slice(-8)}`;
    await putPublicationProfile(db, { unitId: org.units.lead, orgCode, organ: '省发展改革委', now: '2026-01-01T00:00:00Z' });
    await setPublicationSerial(db, orgCode, 2026, 39046);
  });

  it('publishes the public version with its 索引号, the seed’s metadata and its date against the window, and tells the proposers', async () => {
    const p = await dispatchedProposal(org);
    const preview = await previewPublication(db, { workflowId: p.workflowId, mode: 'full' });
    expect(preview.diff.filter((d) => d.op !== 'same').map((d) => d.op)).toEqual(['removed', 'added']);
    expect(preview.diff.find((d) => d.op === 'added')!.text).toContain(`经电话（${REDACTED}）与您沟通`);

    await decide(org, p, 'full');
    const key = `${p.workflowId}:publish`;
    const result = await publishReply({ key, workflowId: p.workflowId, dueDate: '2026-04-01', now: '2026-03-12T10:59:00.000Z' });
    expect(result).toMatchObject({ status: 'published', indexNo: `${orgCode}/2026-39047`, publishedAt: '2026-03-12T10:59:00.000Z', kept: true });

    const entry = (await getPublished(db, result.indexNo!))!;
    const rows = await rowsOf(db, p.workflowId);
    const docNo = rows.proposal!.reply_doc_no!;
    expect(entry).toMatchObject({
      indexNo: `${orgCode}/2026-39047`,
      classification: '政协委员提案',
      organ: '省发展改革委',
      generatedOn: '2026-03-04',
      publishedAt: '2026-03-12T10:59:00.000Z',
      docNo,
      title: `关于省政协${org.sessionCode}第224号提案的答复`,
      mode: 'full',
    });
    expect(entry.text).toContain(`经电话（${REDACTED}）与您沟通`);
    expect(entry.text).not.toContain('13800000000');
    expect(entry.text).toContain('联系人：王联络，联系电话：0571-87050000。');
    expect(entry.html).toContain('<article class="letter"');
    expect(rows.events.at(-1)).toMatchObject({ step: 'publish', idempotency_key: key });
    const mail = rows.notifications.find((n) => n.kind === 'published')!;
    expect(mail.to_addrs).toEqual([org.proposerEmails.first, org.proposerEmails.cosigner]);
    expect(mail.body_text).toContain(`索引号：${orgCode}/2026-39047`);
    // The proposers are told where to read it: the entry's address on the public site.
    expect(mail.body_html).toContain(`href="${TEST_LINK_BASE}/public/${orgCode}/2026-39047"`);
    expect(mail.body_text).toContain(`${TEST_LINK_BASE}/public/${orgCode}/2026-39047`);

    // Again with the same key, or later: the same entry, no second serial, no second mail.
    const again = await publishReply({ key, workflowId: p.workflowId, now: '2026-03-20T00:00:00.000Z' });
    expect(again.indexNo).toBe(result.indexNo);
    expect((await rowsOf(db, p.workflowId)).notifications.filter((n) => n.kind === 'published')).toHaveLength(1);
  });

  it('publishes each unit’s letter of a split proposal under its own 索引号, once, and tells the proposers of each', async () => {
    const p = await registeredProposal(db, acts, org);
    const coCode = `8${String(Date.now()).slice(-8)}`;
    await putPublicationProfile(db, { unitId: org.units.co1, orgCode: coCode, organ: '省教育厅', now: '2026-01-01T00:00:00Z' });
    const units = [org.units.lead, org.units.co1];
    for (const [i, unitId] of units.entries()) {
      await acts.dispatchReply({
        key: `${p.workflowId}:dispatch:${unitId}:round0`,
        workflowId: p.workflowId,
        unitId,
        round: 0,
        version: 1,
        replyClass: i === 0 ? 'A' : 'B',
        bodyHash: await putText(db, `一、办理情况\n${unitId}分办答复${uniq()}，${i === 0 ? '推进内河航运枢纽建设' : '推进城乡学区集团化办学'}。`),
        proposalNo: '第225号',
        title: '关于统筹城乡义务教育与交通的建议',
        recipients: p.proposerIds,
        raters: p.proposerIds,
        coUnits: [],
        feedbackDueAt: null,
        projection: projection({ stage: i === 0 ? 'handling' : 'dispatched', handlingMode: 'split', leadUnitId: null, unitIds: units }),
        tasks: units.map((u, j) => task(u, 'split', j <= i ? { status: 'dispatched', done: true } : {})),
        now: `2026-03-0${4 + i}T02:00:00.000Z`,
      });
    }
    const preview = await previewPublication(db, { workflowId: p.workflowId, mode: 'full' });
    expect(preview.letters.map((l) => l.unitId)).toEqual(units);

    await decide(org, p, 'full');
    const key = `${p.workflowId}:publish`;
    const result = await publishReply({ key, workflowId: p.workflowId, dueDate: '2026-04-01', now: '2026-03-12T10:00:00.000Z' });
    expect(result.notificationKeys).toHaveLength(2);
    const entries = (await listPublished(db, { sessionCode: org.sessionCode, limit: 100 })).filter((e) => e.workflowId === p.workflowId);
    expect(entries.map((e) => [e.unitId, e.organ]).sort()).toEqual(
      [
        [org.units.lead, '省发展改革委'],
        [org.units.co1, '省教育厅'],
      ].sort(),
    );
    const coEntry = entries.find((e) => e.unitId === org.units.co1)!;
    expect(coEntry.indexNo).toBe(`${coCode}/2026-1`);
    expect((await getPublished(db, coEntry.indexNo))!.text).toContain(`${org.units.co1}分办答复`);
    const mails = (await rowsOf(db, p.workflowId)).notifications.filter((n) => n.kind === 'published');
    expect(mails.map((m) => m.body_text.includes(coEntry.indexNo))).toContain(true);
    expect(mails).toHaveLength(2);
    // The public search finds each letter, and names the entry of the letter it found.
    const found = await searchArchive(db, { kind: 'public' }, '学区集团化', { sessionCode: org.sessionCode }, { limit: 10, offset: 0 });
    expect(found.hits.find((h) => h.workflowId === p.workflowId)?.indexNo).toBe(coEntry.indexNo);

    // The retried step finds both entries: no third serial, no more mail.
    const again = await publishReply({ key, workflowId: p.workflowId, now: '2026-03-20T00:00:00.000Z' });
    expect(again.notificationKeys).toEqual(result.notificationKeys);
    expect((await rowsOf(db, p.workflowId)).notifications.filter((n) => n.kind === 'published')).toHaveLength(2);
    expect(await db.selectFrom('publication_entries').select('index_no').where('workflow_id', '=', p.workflowId).execute()).toHaveLength(2);
  });

  it('lists and finds published entries only, by session, unit and keyword', async () => {
    const shown = await dispatchedProposal(org);
    await decide(org, shown, 'full');
    const { indexNo } = await publishReply({
      key: `${shown.workflowId}:publish`,
      workflowId: shown.workflowId,
      dueDate: '2026-04-01',
      now: '2026-03-13T00:00:00.000Z',
    });
    const approvedOnly = await dispatchedProposal(org); // approved, not yet published
    await decide(org, approvedOnly, 'full');
    const withheld = await dispatchedProposal(org);
    await decide(org, withheld, 'none', '涉及尚未公开的工作方案');
    expect(await publishReply({ key: `${withheld.workflowId}:publish`, workflowId: withheld.workflowId, now: '2026-03-13T00:00:00.000Z' })).toMatchObject({
      status: 'withheld',
      indexNo: null,
    });

    const bySession = await listPublished(db, { sessionCode: org.sessionCode, limit: 100 });
    const ids = bySession.map((e) => e.workflowId);
    expect(ids).toContain(shown.workflowId);
    expect(ids).not.toContain(approvedOnly.workflowId);
    expect(ids).not.toContain(withheld.workflowId);
    expect(indexNo!.startsWith(`${orgCode}/2026-`)).toBe(true);
    expect((await listPublished(db, { unitId: org.units.lead, keyword: '抓好落实', limit: 100 })).map((e) => e.workflowId)).toContain(shown.workflowId);
    // The search reads the public version: a number it removed finds nothing.
    expect((await listPublished(db, { sessionCode: org.sessionCode, keyword: '13800000000', limit: 100 })).map((e) => e.workflowId)).not.toContain(shown.workflowId);
    expect(await listPublished(db, { sessionCode: org.sessionCode, keyword: `没有这个词${uniq()}` })).toEqual([]);
    expect(await getPublished(db, `${orgCode}/2026-1`)).toBeUndefined();
  });

  it('reports the window: kept, missed, or not yet due', async () => {
    const late = await dispatchedProposal(org);
    await decide(org, late, 'full');
    expect(
      await publishReply({ key: `${late.workflowId}:publish`, workflowId: late.workflowId, dueDate: '2026-03-11', now: '2026-03-14T00:00:00.000Z' }),
    ).toMatchObject({ kept: false });
    // Without a due date from the workflow, the policy's 20 working days from dispatch apply.
    const onTime = await dispatchedProposal(org);
    await decide(org, onTime, 'full');
    const computed = await publishReply({ key: `${onTime.workflowId}:publish`, workflowId: onTime.workflowId, now: '2026-03-14T00:00:00.000Z' });
    expect(computed.kept).toBe(true);
    const report = await publicationWindow(db, { sessionCode: org.sessionCode, today: '2026-03-14' });
    expect(report.find((r) => r.workflowId === late.workflowId)).toMatchObject({ dueDate: '2026-03-11', publishedOn: '2026-03-14', kept: false });
    // 2026-03-04 plus 20 working days is 2026-04-01.
    expect(report.find((r) => r.workflowId === onTime.workflowId)).toMatchObject({ dueDate: '2026-04-01', kept: true });
  });

  it('refuses before the office has approved, and without the unit’s publishing profile', async () => {
    const p = await dispatchedProposal(org);
    expect(await failureOf(publishReply({ key: `${p.workflowId}:publish`, workflowId: p.workflowId, now: '2026-03-14T00:00:00.000Z' }))).toMatchObject({
      type: 'PRECONDITION_FAILED',
      nonRetryable: true,
    });
    const other = await seedOrg(db);
    // seedOrg gives every unit a profile; this unit has none.
    await db.deleteFrom('publication_profiles').where('unit_id', '=', other.units.lead).execute();
    const q = await dispatchedProposal(other);
    await decide(other, q, 'full');
    const err = await failureOf(publishReply({ key: `${q.workflowId}:publish`, workflowId: q.workflowId, now: '2026-03-14T00:00:00.000Z' }));
    expect(err).toMatchObject({ type: 'PRECONDITION_FAILED' });
    expect(err.message).toContain('组织机构代码');
  });
});
