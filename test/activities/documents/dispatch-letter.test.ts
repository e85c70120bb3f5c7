import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchReplyArgs } from '../../../activities/dispatch-reply.js';
import { loadStyle } from '../../../activities/documents/letter-data.js';
import type { LetterModel } from '../../../activities/documents/letter-model.js';
import { previewUnitLetter, saveLetterStyle } from '../../../activities/documents/preview.js';
import type { Activities } from '../../../activities/index.js';
import type { Db } from '../../../db/connection.js';
import { getText, putText } from '../../../db/repositories/blobs.js';
import { getRendition, listDocuments } from '../../../db/repositories/documents.js';
import { putLetterOverride, putStylePatch } from '../../../db/repositories/letter-settings.js';
import { counts, failureOf, projection, realActivities, registeredProposal, rowsOf, task, type RealActivities, type Registered } from '../../support/activities.js';
import { seedOrg, testDb, uniq, type Org } from '../../support/context.js';
import { docxParagraphs } from '../../unit/activities/documents/docx-reader.js';
import { SEED_004 } from '../../unit/activities/documents/seed-fixtures.js';

// The letter as dispatch makes it on a real PostgreSQL: the unit's style read from
// letter_styles, the proposal's facts from the read model, the number from the unit's yearly
// sequence, and the letter stored as text, .docx, HTML and model with the reply version.

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

async function dispatchArgs(org: Org, p: Registered, overrides: Partial<DispatchReplyArgs> = {}): Promise<DispatchReplyArgs> {
  const unitId = overrides.unitId ?? org.units.lead;
  return {
    key: `${p.workflowId}:dispatch:${unitId}:round0`,
    workflowId: p.workflowId,
    unitId,
    round: 0,
    version: 3,
    replyClass: 'B',
    bodyHash: await putText(db, `近年来，我市做了大量工作${uniq()}。\n下一步，我们将抓好落实。`),
    proposalNo: '2号',
    title: '关于加快推进数字经济高质量发展的建议',
    recipients: p.proposerIds,
    raters: p.proposerIds,
    coUnits: [org.units.co1],
    feedbackDueAt: null,
    projection: projection({ stage: 'dispatched', handlingMode: 'lead', leadUnitId: unitId, unitIds: [unitId, org.units.co1], replyClass: 'B', replyVersion: 3 }),
    tasks: [task(unitId, 'lead', { status: 'dispatched', done: true }), task(org.units.co1, 'co', { status: 'submitted', done: true })],
    now: '2024-06-27T02:00:00.000Z',
    ...overrides,
  };
}

// Soft breaks inside a long title are layout, not text.
const trimmed = (lines: string[]) => lines.map((l) => l.replace(/\n/g, '').replace(/^[\s\u3000]+|[\s\u3000]+$/g, '')).filter(Boolean);

describe('a dispatched reply as a letter', () => {
  it('is written in the unit’s stored style (seed 004’s, as data), numbered from its sequence, and stored as text, .docx and HTML with the reply version', async () => {
    const org = await seedOrg(db);
    const unit = org.units.lead;
    // Wenzhou's wording as this unit's style; the number prefix, contact and serial are the seed's.
    await db
      .updateTable('units')
      .set({ doc_prefix: `温科${org.prefix}`, contact_name: '王鹏鸣', contact_phone: '88962071' })
      .where('id', '=', unit)
      .execute();
    await putStylePatch(db, {
      unitId: unit,
      body: { ...SEED_004.deployment, ...SEED_004.unit, receipt: { ...SEED_004.deployment.receipt } },
      userId: null,
      now: '2024-06-01T00:00:00Z',
    });
    await db.insertInto('unit_doc_sequences').values({ unit_id: unit, year: 2024, kind: 'reply', last_serial: 110 }).execute();
    const p = await registeredProposal(db, acts, org);

    const result = await acts.dispatchReply(await dispatchArgs(org, p));
    expect(result.docNo).toBe(`温科${org.prefix}提复〔2024〕111号`);

    const [doc] = await listDocuments(db, p.workflowId);
    expect(doc).toMatchObject({ kind: 'reply_letter', title: `${result.docNo} 答复函`, replyVersion: 3 });
    expect(doc!.formats.sort()).toEqual(['docx', 'html', 'model']);
    const docx = (await getRendition(db, doc!.id, 'docx'))!;
    expect(docx.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const model = JSON.parse((await getRendition(db, doc!.id, 'model'))!.content.toString('utf8')) as LetterModel;
    const session = `市政协${org.sessionCode}`;
    const expected = {
      number: result.docNo,
      title: [`关于${session}2号提案的`, '答 复 函'],
      salutation: `张永庆${org.prefix}委员、李明${org.prefix}委员：`,
      receipt: `你们在${session}期间所提的《关于加快推进数字经济高质量发展的建议》（政协提案2号）收悉。`,
      closing: '最后，感谢你们对科技创新工作的支持。',
      contact: '联系人：王鹏鸣，联系电话：88962071。',
      date: '2024年6月27日',
      copies: '抄送：省科技厅，市府办，市政协提案委',
    };
    expect(model).toMatchObject({ ...expected, contact: { text: expected.contact }, signature: null, mark: 'B' });

    const paragraphs = trimmed(docxParagraphs(docx.content));
    const text = trimmed(
      (await getText(db, (await db.selectFrom('documents').select('content_hash').where('id', '=', doc!.id).executeTakeFirstOrThrow()).content_hash))!.split('\n'),
    );
    for (const lines of [paragraphs, text]) {
      expect(lines).toEqual(expect.arrayContaining([...expected.title, expected.salutation, expected.closing, expected.contact, expected.date, expected.copies]));
      expect(lines.some((l) => l.startsWith(expected.receipt))).toBe(true);
    }
    expect(paragraphs[0]).toBe(expected.number);
    expect((await getRendition(db, doc!.id, 'html'))!.content.toString('utf8')).toContain('<article class="letter"');
    // The event points at the stored letter.
    const event = (await rowsOf(db, p.workflowId)).events.find((e) => e.step === 'dispatch')!;
    expect(event.summary).toMatchObject({ docNo: result.docNo, documentId: doc!.id });
  });

  it('names the co-units in the order they were assigned, not the directory’s order', async () => {
    const org = await seedOrg(db);
    const p = await registeredProposal(db, acts, org);
    const args = await dispatchArgs(org, p, { coUnits: [org.units.co2, org.units.co1], now: '2026-03-04T02:00:00.000Z' });
    await acts.dispatchReply(args);
    const [doc] = await listDocuments(db, p.workflowId);
    const model = JSON.parse((await getRendition(db, doc!.id, 'model'))!.content.toString('utf8')) as LetterModel;
    expect(model.receipt).toContain('收悉，经综合省经信厅、省科技厅等单位意见，现答复如下：');
    expect(model.copies).toBe('抄送：省经信厅，省科技厅，省政府办公厅，省政协提案委员会。');
  });

  it('sends no 抄送 line when the proposal’s own list is empty', async () => {
    const org = await seedOrg(db);
    const p = await registeredProposal(db, acts, org);
    await putLetterOverride(db, { workflowId: p.workflowId, body: { copies: { add: [], only: [] } }, userId: org.actors.office.userId, now: '2026-03-03T00:00:00Z' });
    await acts.dispatchReply(await dispatchArgs(org, p, { now: '2026-03-04T02:00:00.000Z' }));
    const [doc] = await listDocuments(db, p.workflowId);
    const paragraphs = docxParagraphs((await getRendition(db, doc!.id, 'docx'))!.content);
    expect(paragraphs.some((l) => l.includes('抄送'))).toBe(false);
  });

  it('refuses to dispatch with a stored style that no longer makes a letter, typed and without taking a number', async () => {
    const org = await seedOrg(db);
    const p = await registeredProposal(db, acts, org);
    await putStylePatch(db, { unitId: org.units.lead, body: { signatur: '{unitName}' }, userId: null, now: '2026-03-01T00:00:00Z' });
    const before = counts(await rowsOf(db, p.workflowId));
    const err = await failureOf(acts.dispatchReply(await dispatchArgs(org, p, { now: '2026-03-04T02:00:00.000Z' })));
    expect(err).toMatchObject({ type: 'DATA_REJECTED', nonRetryable: true });
    expect(err.message).toContain('公文格式');
    expect(counts(await rowsOf(db, p.workflowId))).toEqual(before);
    expect(await db.selectFrom('unit_doc_sequences').select('last_serial').where('unit_id', '=', org.units.lead).executeTakeFirst()).toBeUndefined();
  });
});

describe('the deployment layer and the administrator’s preview', () => {
  it('reads the deployment’s style under the unit’s (checked in a transaction that is rolled back: other tests share the deployment)', async () => {
    const org = await seedOrg(db);
    type Styles = Record<'lead' | 'other', Awaited<ReturnType<typeof loadStyle>>>;
    class Rollback extends Error {
      constructor(readonly styles: Styles) {
        super('rollback');
      }
    }
    const seen = await db
      .transaction()
      .execute(async (trx) => {
        await putStylePatch(trx, { unitId: null, body: { committee: '市政协', copies: { to: ['市府办'] } }, userId: null, now: '2026-03-01T00:00:00Z' });
        await putStylePatch(trx, { unitId: org.units.lead, body: { copies: { to: [] } }, userId: null, now: '2026-03-01T00:00:00Z' });
        throw new Rollback({ lead: await loadStyle(trx, org.units.lead), other: await loadStyle(trx, org.units.other) });
      })
      .catch((err: unknown) => {
        if (err instanceof Rollback) return err.styles;
        throw err;
      });
    expect(seen.lead.committee).toBe('市政协');
    expect(seen.lead.copies.to).toEqual([]);
    expect(seen.other.copies.to).toEqual(['市府办']);
    expect(await db.selectFrom('letter_styles').select('key').where('key', '=', 'deployment').executeTakeFirst()).toBeUndefined();
  });

  it('previews a unit’s letter with a proposed change and saves only a style that makes a letter', async () => {
    const org = await seedOrg(db);
    const preview = await previewUnitLetter(db, { unitId: org.units.co1, unit: { closing: { reply: '专此答复。' } } });
    expect(preview.problems).toEqual([]);
    expect(preview.model).toMatchObject({ closing: '专此答复。', signature: `浙江省科学技术厅${org.prefix}` });
    expect(preview.docx!.subarray(0, 2).toString()).toBe('PK');

    const refused = await saveLetterStyle(db, {
      unitId: org.units.co1,
      patch: { contact: { form: '联系人：{name}，{tel}' } },
      userId: null,
      now: '2026-03-01T00:00:00Z',
    });
    expect(refused).toEqual({ saved: false, problems: [expect.objectContaining({ field: 'contact.form' })] });
    expect(await db.selectFrom('letter_styles').select('key').where('unit_id', '=', org.units.co1).executeTakeFirst()).toBeUndefined();
    expect(await saveLetterStyle(db, { unitId: org.units.co1, patch: { closing: { reply: '专此答复。' } }, userId: null, now: '2026-03-01T00:00:00Z' })).toEqual({
      saved: true,
      problems: [],
    });
    expect((await loadStyle(db, org.units.co1)).closing.reply).toBe('专此答复。');
  });
});

describe('a co-handling opinion as a letter (提函)', () => {
  it('is stored with its .docx, addressed to the lead unit and numbered in the co-unit’s 提函 sequence', async () => {
    const org = await seedOrg(db);
    const p = await registeredProposal(db, acts, org);
    await acts.recordStep({
      key: `${p.workflowId}:${uniq('upd-')}`,
      workflowId: p.workflowId,
      actor: org.actors.office,
      record: { step: 'assign', unitId: null, summary: {}, notifications: [] },
      projection: projection({ stage: 'handling', handlingMode: 'lead', leadUnitId: org.units.lead, unitIds: [org.units.lead, org.units.co1] }),
      tasks: [task(org.units.lead, 'lead'), task(org.units.co1, 'co')],
      now: '2026-03-02T01:00:00.000Z',
    });
    const result = await acts.recordCoOpinion({
      key: `${p.workflowId}:${uniq('upd-')}`,
      parentWorkflowId: p.workflowId,
      unitId: org.units.co1,
      round: 0,
      leadUnitId: org.units.lead,
      title: '关于加快推进数字经济高质量发展的建议',
      proposalNo: '第12号',
      kind: 'opinion',
      bodyHash: await putText(db, `建议加强协同${uniq()}。`),
      actor: org.actors.co1Leader,
      now: '2026-03-06T02:00:00.000Z',
    });
    const [doc] = await listDocuments(db, p.workflowId);
    expect(doc).toMatchObject({ kind: 'co_opinion', replyVersion: null });
    const paragraphs = trimmed(docxParagraphs((await getRendition(db, doc!.id, 'docx'))!.content));
    expect(paragraphs.slice(0, 3)).toEqual([result.docNo, `关于省政协${org.sessionCode}第12号提案的会办意见`, '省发展改革委：']);
    expect(paragraphs).toContain(`浙江省科学技术厅${org.prefix}`);
  });
});
