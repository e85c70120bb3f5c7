import { beforeAll, describe, expect, it } from 'vitest';
import type { Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// Read back what is stored (client/http/api/records.ts, client/read/records.ts): one proposal,
// lead + co-unit, taken through a co-opinion, a consultation, a reply, dispatch and a rating; then
// every reader asks for every record kind and gets exactly their share.

const suite = useSuite();
let api: Api;
let org: Org;
let d: Driver;
let id: string;

const get = (who: string, path: string) => api.call(d.tokens[who]!, 'GET', `/api/proposals/${enc(id)}/${path}`);
const items = async (who: string, path: string) => {
  const res = await get(who, path);
  expect(res.status, `${who} ${path}: ${JSON.stringify(res.json)}`).toBe(200);
  return res.json.items as Record<string, unknown>[];
};

beforeAll(async () => {
  ({ api, org, d } = suite);
  id = await d.assigned('lead');
  await d.ok('co1Liaison', id, 'submitCoOpinion', { kind: 'opinion', body: '建议补充农村地区的试点安排。' });
  await d.stage(id, 'handling');
  await d.reply(id);
  await d.stage(id, 'dispatched');
  await d.ok('proposer', id, 'rate', { attitude: 'satisfied', result: 'basically_satisfied', comment: '答复具体' });
  // The co-signer answered on paper; the office enters the form.
  await d.ok('office', id, 'rate', { attitude: 'basically_satisfied', result: 'satisfied', proposerId: org.actors.cosigner.proposerId });
}, 120_000);

describe('reading back a proposal’s records', () => {
  it('reply versions: the office reads all with their texts, the answering unit its own, the proposer the dispatched one, a co-unit none', async () => {
    const office = await items('office', 'replies');
    expect(office).toHaveLength(1);
    expect(office[0]).toMatchObject({ unitId: org.units.lead, version: 1, replyClass: 'A', body: expect.stringContaining('答复正文') });
    expect(office[0]!.authorName).toBeTruthy();
    expect(await items('leadLiaison', 'replies')).toEqual(office);
    expect(await items('co1Liaison', 'replies')).toEqual([]);
    const proposer = await items('proposer', 'replies');
    expect(proposer).toEqual([{ ...office[0], changeNote: null, authorName: null }]);
  });

  it('co-opinions: the lead unit reads its co-units’ opinions with their text, the co-unit its own, the proposer none', async () => {
    const lead = await items('leadLiaison', 'co-opinions');
    expect(lead).toEqual([
      expect.objectContaining({ unitId: org.units.co1, kind: 'opinion', text: '建议补充农村地区的试点安排。', docNo: expect.stringMatching(/提函/) }),
    ]);
    expect(await items('co1Liaison', 'co-opinions')).toEqual(lead);
    expect(await items('office', 'co-opinions')).toEqual(lead);
    expect(await items('proposer', 'co-opinions')).toEqual([]);
  });

  it('consultations: the unit reads its note, the proposer when, how and who but not the note', async () => {
    const lead = await items('leadLiaison', 'consultations');
    expect(lead).toEqual([expect.objectContaining({ unitId: org.units.lead, date: '2026-02-03', way: 'face_to_face', summary: '面商，听取意见。' })]);
    const proposer = await items('proposer', 'consultations');
    expect(proposer).toHaveLength(1);
    expect(proposer[0]).toMatchObject({ date: '2026-02-03', way: 'face_to_face', participants: '提案者、承办处室' });
    expect(proposer[0]).not.toHaveProperty('summary');
    expect(await items('co1Liaison', 'consultations')).toEqual([]);
  });

  it('ratings: the answering unit and the rater read it, a co-unit does not; a paper form names who entered it', async () => {
    const lead = await items('leadLiaison', 'ratings');
    expect(lead).toEqual([
      expect.objectContaining({
        proposerId: org.actors.proposer.proposerId,
        attitude: 'satisfied',
        result: 'basically_satisfied',
        comment: '答复具体',
        onBehalf: false,
        enteredByName: null,
      }),
      expect.objectContaining({
        proposerId: org.actors.cosigner.proposerId,
        attitude: 'basically_satisfied',
        result: 'satisfied',
        onBehalf: true,
        enteredByName: expect.any(String),
      }),
    ]);
    expect(await items('office', 'ratings')).toEqual(lead);
    expect(await items('proposer', 'ratings')).toEqual([lead[0]]);
    expect(await items('co1Liaison', 'ratings')).toEqual([]);
  });

  it('documents: the proposer downloads the letter sent to them, byte for byte a .docx, and cannot open the co-unit’s opinion', async () => {
    const office = await items('office', 'documents');
    const letter = office.find((doc) => doc.kind === 'reply_letter')!;
    const opinion = office.find((doc) => doc.kind === 'co_opinion')!;
    expect(letter.formats).toContain('docx');
    expect((await items('proposer', 'documents')).map((doc) => doc.id)).toEqual([letter.id]);
    // The letter is copied (抄送) to the co-unit, which also keeps its own signed opinion.
    expect((await items('co1Liaison', 'documents')).map((doc) => doc.id).sort()).toEqual([letter.id, opinion.id].sort());
    expect((await items('leadLiaison', 'documents')).map((doc) => doc.id).sort()).toEqual([letter.id, opinion.id].sort());

    const download = await fetch(`${api.server.url}/api/proposals/${enc(id)}/documents/${String(letter.id)}/docx`, {
      headers: { authorization: `Bearer ${d.tokens.proposer!}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''/);
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    expect((await get('proposer', `documents/${String(opinion.id)}/docx`)).status).toBe(404);
    expect((await get('proposer', 'documents/abc/docx')).status).toBe(422);
    expect((await get('proposer', `documents/${String(letter.id)}/pdf`)).status).toBe(422);
  });

  it('the audit trail names who took each step, for readers who see the step in full', async () => {
    const office = await items('office', 'events');
    const assign = office.find((e) => e.step === 'assign')!;
    expect(assign.actorName).toBeTruthy();
    const proposerView = (await items('proposer', 'events')).find((e) => e.step === 'assign')!;
    expect(proposerView).not.toHaveProperty('actorName');
  });

  it('a unit with no task on the proposal, and a signed-out caller, read nothing of it', async () => {
    for (const path of ['replies', 'co-opinions', 'consultations', 'ratings', 'follow-ups', 'documents']) {
      expect((await get('otherLiaison', path)).status).toBe(404);
      expect((await api.call(null, 'GET', `/api/proposals/${enc(id)}/${path}`)).status).toBe(401);
    }
    expect(await items('office', 'follow-ups')).toEqual([]);
  });
});
