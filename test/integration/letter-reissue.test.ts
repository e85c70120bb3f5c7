import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { getText } from '../../db/repositories/blobs.js';
import { eventually, seedOrg, temporalClient, testDb, waitForMail, type Org } from '../support/context.js';
import { maybeRecordHistory } from '../support/histories.js';
import { Driver } from '../support/drive.js';
import { enc, startApi, type Api } from '../support/http.js';

// 答复函更正重发: the office changes the class of a reply already sent; the letter is issued
// again (same number with a correction note, or a number suffix: policy), mailed to everyone the
// reply went to, and both letters stay on record; the unit's final class follows.

let db: Db;
let api: Api;

beforeAll(async () => {
  db = testDb();
  api = await startApi(db);
});
afterAll(async () => {
  await api.close();
  await db.destroy();
});

async function dispatchedReply(policy: Record<string, unknown> = {}): Promise<{ org: Org; d: Driver; id: string; sentDocNo: string }> {
  const org = await seedOrg(db, { policy });
  const d = await new Driver(api, db, org).login();
  const id = await d.assigned('sole');
  await d.reply(id);
  await d.stage(id, 'dispatched');
  const sent = await db.selectFrom('events').select('summary').where('workflow_id', '=', id).where('step', '=', 'dispatch').executeTakeFirstOrThrow();
  return { org, d, id, sentDocNo: String((sent.summary as { docNo: string }).docNo) };
}

async function reissued(id: string) {
  return eventually(
    async () => db.selectFrom('events').select('summary').where('workflow_id', '=', id).where('step', '=', 'reissueLetter').executeTakeFirst(),
    30_000,
  );
}

describe('an A/B/C override after dispatch reissues the letter', () => {
  it('by default: the same number with the new class and a correction note, mailed to the proposers with the .docx; both letters kept', async () => {
    const { org, d, id, sentDocNo } = await dispatchedReply();
    await d.ok('office', id, 'overrideClass', { unitId: org.units.lead, replyClass: 'B', reason: '承诺事项尚在推进，应为B类' });
    const event = (await reissued(id)).summary as { docNo: string; issue: number; from: string; to: string };
    // The deployment's number form carries no class: the corrected letter keeps the number.
    expect(event).toMatchObject({ docNo: sentDocNo, issue: 2, from: 'A', to: 'B', mode: 'correction_note' });
    const mail = await waitForMail((m) => m.subject.includes('答复函更正') && m.to.includes(org.proposerEmails.first));
    expect(mail.subject).toContain(`替代${sentDocNo}`);
    expect(mail.text).toContain('由A类调整为B类（承诺事项尚在推进，应为B类）');
    expect(mail.text).toContain('请以本函为准');
    expect(mail.attachments.map((a) => a.filename)).toEqual([`${event.docNo} 答复函（更正）.docx`]);
    expect(mail.cc).toContain(`${org.prefix}-office@staff.test`);

    // The proposer reads both letters; the unit's final class is the new one.
    const docs = await api.call(d.tokens.proposer!, 'GET', `/api/proposals/${enc(id)}/documents`);
    expect(docs.status).toBe(200);
    const letters = (docs.json.items as { kind: string; title: string }[]).filter((x) => x.kind === 'reply_letter');
    expect(letters.map((l) => l.title)).toEqual([`${sentDocNo} 答复函`, `${event.docNo} 答复函（更正，第2版）`]);
    const task = await db.selectFrom('unit_tasks').select('final_class').where('workflow_id', '=', id).executeTakeFirstOrThrow();
    expect(task.final_class).toBe('B');

    // Setting the class it already has changes nothing and sends nothing.
    const same = await d.act('office', id, 'overrideClass', { unitId: org.units.lead, replyClass: 'B', reason: '再次确认' });
    expect(same.status).toBe(422);
    expect(same.json.field).toBe('replyClass');
    const temporal = await temporalClient();
    await maybeRecordHistory(temporal, id, 'letter-reissue');
    await temporal.connection.close();
  });

  it('with the number-suffix policy: the new letter has a number of its own, and a second change a third', async () => {
    const { org, d, id, sentDocNo } = await dispatchedReply({ letterReissue: 'number_suffix' });
    await d.ok('office', id, 'overrideClass', { unitId: org.units.lead, replyClass: 'C', reason: '所提问题暂不具备解决条件' });
    expect(((await reissued(id)).summary as { docNo: string }).docNo).toBe(`${sentDocNo}-2`);
    await d.ok('office', id, 'overrideClass', { unitId: org.units.lead, replyClass: 'B', reason: '经复核，已列入计划' });
    const numbers = await eventually(async () => {
      const rows = await db.selectFrom('events').select('summary').where('workflow_id', '=', id).where('step', '=', 'reissueLetter').orderBy('id').execute();
      return rows.length === 2 ? rows.map((r) => (r.summary as { docNo: string }).docNo) : undefined;
    }, 30_000);
    expect(numbers).toEqual([`${sentDocNo}-2`, `${sentDocNo}-3`]);
    const mail = await waitForMail((m) => m.subject.includes(`${sentDocNo}-3`));
    expect(mail.text).toContain('由C类调整为B类');
    // The letter itself carries its own number and no correction paragraph.
    const last = await db
      .selectFrom('documents')
      .select('content_hash')
      .where('workflow_id', '=', id)
      .where('kind', '=', 'reply_letter')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const text = (await getText(db, last.content_hash)) ?? '';
    expect(text).toContain(`${sentDocNo}-3`);
    expect(text).not.toContain('更正说明');
  });
});
