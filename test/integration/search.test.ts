import { beforeAll, describe, expect, it } from 'vitest';
import { backfillSearchIndex } from '../../activities/search/backfill.js';
import { indexProposalTexts } from '../../activities/search/index-texts.js';
import { setUnitRemit } from '../../activities/search/unit-remits.js';
import type { Db } from '../../db/connection.js';
import { eventually, uniq, type Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// Archive search, similar proposals and the unit suggestion (issue 13, items 4–6), through the
// HTTP API on the real stack: texts are indexed by the steps that store them (registration,
// reply draft, co-opinion, publication), found by a two-character word, filtered, kept within
// the visibility rule, highlighted with escaped HTML; a planted near-duplicate comes first; the
// suggestion names the unit that handled the similar proposals and says which ones.

const suite = useSuite();
let db: Db;
let api: Api;
let org: Org;
let d: Driver;

// Two-character words from the bodies; the titles do not contain them.
const BODY_WORD = '桑蚕';
const REPLY_WORD = '缫丝';
const OPINION_WORD = '蚕茧';

let silk: string; // the lead unit's proposal: body has 桑蚕, reply has 缫丝, co1's opinion has 蚕茧; published
let otherSilk: string; // the `other` unit's proposal with 桑蚕 in its body
let hostile: string;

function search(who: string | null, params: Record<string, string>) {
  const qs = new URLSearchParams(params).toString();
  return who === null ? api.call(null, 'GET', `/api/public/search?${qs}`) : api.call(d.tokens[who]!, 'GET', `/api/search?${qs}`);
}

const ids = (res: { json: { hits: { workflowId: string }[] } }) => res.json.hits.map((h) => h.workflowId);

beforeAll(async () => {
  ({ db, api, org, d } = suite);
  silk = await d.filed({
    title: `关于振兴湖州丝绸产业的建议${uniq('')}`,
    body: `一、基本情况：湖州${BODY_WORD}生产历史悠久。\n二、存在问题：养殖规模萎缩。\n三、具体建议：扶持农户。`,
  });
  await d.ok('office', silk, 'assign', { mode: 'lead', units: [org.units.lead, org.units.co1] });
  await d.ok('co1Liaison', silk, 'submitCoOpinion', { kind: 'opinion', body: `会办意见：建议加强${OPINION_WORD}收购价格监测。` });
  await d.ok('leadLiaison', silk, 'recordConsultation', { date: '2026-02-03', way: 'face_to_face', participants: '提案者、承办处室', summary: '面商。' });
  await d.ok('leadLiaison', silk, 'saveDraft', { body: `一、办理情况：支持${REPLY_WORD}企业技术改造。\n二、下一步工作：抓好落实。`, replyClass: 'A' });
  await d.ok('leadLiaison', silk, 'submitForSignOff', {});
  await d.ok('leadLeader', silk, 'signOff', { decision: 'approve' });
  await d.stage(silk, 'dispatched');
  await d.ok('proposer', silk, 'rate', { attitude: 'satisfied', result: 'basically_satisfied' });
  await d.ok('leadLiaison', silk, 'proposePublication', { mode: 'full' });
  await d.ok('office', silk, 'approvePublication', {});
  await eventually(async () => db.selectFrom('search_texts').select('kind').where('workflow_id', '=', silk).where('kind', '=', 'public').executeTakeFirst());

  otherSilk = await d.filed({ title: `关于发展蚕桑特色农业的建议${uniq('')}`, body: `建议在山区推广${BODY_WORD}套种模式。` });
  await d.ok('office', otherSilk, 'assign', { mode: 'sole', units: [org.units.other] });

  hostile = await d.register({ title: `关于<script>alert(1)</script>${BODY_WORD}的建议`, body: `正文含 <img src=x onerror=alert(1)> 与${BODY_WORD}。` });
}, 240_000);

describe('archive search', () => {
  it('finds a proposal by a two-character Chinese word in its body, ranked, with the word marked', async () => {
    const res = await search('office', { q: BODY_WORD, session: org.sessionCode });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(expect.arrayContaining([silk, otherSilk, hostile]));
    expect(res.json.total).toBe(3);
    const hit = res.json.hits.find((h: { workflowId: string }) => h.workflowId === silk);
    expect(hit.matchedIn).toBe('proposal');
    expect(hit.snippetHtml).toContain(`<mark>${BODY_WORD}</mark>`);
    expect(hit.rank).toBeGreaterThan(0);
    const ranks = res.json.hits.map((h: { rank: number }) => h.rank);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
  });

  it('searches replies and co-opinions too', async () => {
    const reply = await search('office', { q: REPLY_WORD, session: org.sessionCode });
    expect(ids(reply)).toEqual([silk]);
    expect(reply.json.hits[0].snippetHtml).toContain(`<mark>${REPLY_WORD}</mark>`);
    expect(['reply', 'public']).toContain(reply.json.hits[0].matchedIn);
    const opinion = await search('office', { q: OPINION_WORD, session: org.sessionCode });
    expect(ids(opinion)).toEqual([silk]);
    expect(opinion.json.hits[0].matchedIn).toBe('co_opinion');
  });

  it('filters by session, unit, reply class and stage', async () => {
    expect(ids(await search('office', { q: BODY_WORD, session: org.sessionCode, unit: org.units.other }))).toEqual([otherSilk]);
    expect(ids(await search('office', { q: BODY_WORD, session: org.sessionCode, class: 'A' }))).toEqual([silk]);
    expect(ids(await search('office', { q: BODY_WORD, session: org.sessionCode, class: 'B' }))).toEqual([]);
    expect(ids(await search('office', { q: BODY_WORD, session: org.sessionCode, stage: 'received' }))).toEqual([hostile]);
    expect((await search('office', { q: BODY_WORD, session: `不存在的届次${uniq('')}` })).json.total).toBe(0);
  });

  it('keeps to the visibility rule: a unit finds its own proposals and texts, never another unit’s', async () => {
    const lead = await search('leadLiaison', { q: BODY_WORD });
    expect(ids(lead)).toContain(silk);
    expect(ids(lead)).not.toContain(otherSilk);
    expect(ids(lead)).not.toContain(hostile);
    const other = await search('otherLiaison', { q: BODY_WORD });
    expect(ids(other)).toEqual([otherSilk]);
    // co1 sees the proposal it co-handled and its own opinion, but not the lead unit's draft reply.
    expect(ids(await search('co1Liaison', { q: OPINION_WORD }))).toEqual([silk]);
    expect(ids(await search('otherLiaison', { q: OPINION_WORD }))).toEqual([]);
    expect(ids(await search('co2Liaison', { q: BODY_WORD }))).toEqual([]);
  });

  it('lets the public find published replies only, with their 索引号', async () => {
    const pub = await search(null, { q: REPLY_WORD, session: org.sessionCode });
    expect(pub.status).toBe(200);
    expect(ids(pub)).toEqual([silk]);
    expect(pub.json.hits[0].matchedIn).toBe('public');
    expect(pub.json.hits[0].indexNo).toMatch(/\/\d{4}-\d+$/);
    // The word is in proposal bodies and a co-opinion, not in the published reply: nothing.
    expect((await search(null, { q: BODY_WORD, session: org.sessionCode })).json.hits).toEqual([]);
    expect((await search(null, { q: OPINION_WORD })).json.hits).toEqual([]);
  });

  it('escapes HTML in titles and snippets, marking only the matched words', async () => {
    const res = await search('office', { q: BODY_WORD, session: org.sessionCode, stage: 'received' });
    const hit = res.json.hits[0];
    expect(hit.titleHtml).toBe(`关于&lt;script&gt;alert(1)&lt;/script&gt;<mark>${BODY_WORD}</mark>的建议`);
    expect(hit.snippetHtml).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hit.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
  });

  it('refuses a query with nothing to search and needs a login', async () => {
    const empty = await search('office', { q: '，。！' });
    expect(empty.status).toBe(422);
    expect(empty.json.field).toBe('q');
    expect(empty.json.message).toContain('请输入要检索的字词');
    expect((await api.call(null, 'GET', `/api/search?q=${enc(BODY_WORD)}`)).status).toBe(401);
  });

  it('indexes each text once: the same step again, or the backfill, adds nothing; a lost row comes back', async () => {
    const count = async () => (await db.selectFrom('search_texts').select('kind').where('workflow_id', '=', silk).execute()).map((r) => r.kind).sort();
    const before = await count();
    expect(before).toEqual(['co_opinion', 'proposal', 'public', 'reply']);
    expect(await indexProposalTexts(db, silk)).toBe(0);
    await db.deleteFrom('search_texts').where('workflow_id', '=', silk).where('kind', '=', 'reply').execute();
    expect(await backfillSearchIndex(db)).toBeGreaterThanOrEqual(1);
    expect(await count()).toEqual(before);
    expect(await backfillSearchIndex(db)).toBe(0);
  });
});

describe('similar proposals and the unit suggestion', () => {
  const topic = '古村落保护与活化利用';
  const body =
    '一、基本情况：我省传统村落数量众多，古村落保护与活化利用取得成效。\n二、存在问题：古建筑修缮资金不足，村落空心化，民宿业态同质化。\n三、具体建议：设立古村落保护专项资金，引导乡贤回归，发展特色民宿和非遗工坊。';
  let planted: string;
  let precedents: string[];

  beforeAll(async () => {
    // Earlier proposals on the same subject, each assigned to co2 leading with co1: the precedents.
    precedents = [];
    for (const [i, variant] of ['传统村落', '历史文化名村', '古建筑'].entries()) {
      const id = await d.filed({ title: `关于加强${variant}保护的建议`, body: `${variant}保护：修缮资金不足，村落空心化。建议设立专项资金，发展民宿${i}。` });
      await d.ok('office', id, 'assign', { mode: 'lead', units: [org.units.co2, org.units.co1] });
      precedents.push(id);
    }
    // The near-duplicate: nearly the same title and body as the draft the office will type.
    planted = await d.filed({ title: `关于${topic}的建议`, body });
    await d.ok('office', planted, 'assign', { mode: 'lead', units: [org.units.co2, org.units.co1] });
    // A distractor sharing a few words only.
    await d.register({ title: '关于发展乡村民宿经济的建议', body: '建议规范民宿审批，提升服务质量。' });
  }, 120_000);

  it('shows the planted near-duplicate first at registration, with its reply class and assignment', async () => {
    const res = await api.call(d.tokens.office!, 'POST', '/api/search/similar', {
      title: `关于进一步加强${topic}的建议`,
      body: body.replace('我省', '全省').replace('非遗工坊', '非物质文化遗产工坊'),
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.items[0].workflowId).toBe(planted);
    expect(res.json.items[0].relative).toBe(1);
    expect(res.json.items[0].leadUnitId).toBe(org.units.co2);
    expect(res.json.items.map((i: { workflowId: string }) => i.workflowId)).toEqual(expect.arrayContaining(precedents.slice(0, 1)));
    expect(res.json.suggestion.lead[0].unitId).toBe(org.units.co2);
    // Only the office and the committee ask before registering.
    expect((await api.call(d.tokens.leadLiaison!, 'POST', '/api/search/similar', { title: topic })).status).toBe(403);
  });

  it('lists similar proposals on a registered one, not itself, within what the reader may see', async () => {
    const id = await d.register({ title: `关于推进${topic}的建议`, body });
    const res = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}/similar`);
    expect(res.status).toBe(200);
    expect(res.json.items[0].workflowId).toBe(planted);
    expect(res.json.items.map((i: { workflowId: string }) => i.workflowId)).not.toContain(id);
    // A proposer's pages are about their own proposal: no precedents.
    expect((await api.call(d.tokens.proposer!, 'GET', `/api/proposals/${enc(id)}/similar`)).status).toBe(403);
    // The lead unit has no task in any of them: it sees none of them.
    const silkRes = await api.call(d.tokens.leadLiaison!, 'GET', `/api/proposals/${enc(silk)}/similar`);
    expect(silkRes.status).toBe(200);
    for (const item of silkRes.json.items) expect([...precedents, planted]).not.toContain(item.workflowId);
  });

  it('suggests the unit that led the similar proposals, with those proposals as reasons, and assigns nothing', async () => {
    const id = await d.filed({ title: `关于做好${topic}工作的建议`, body });
    const res = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}/unit-suggestions`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.lead[0].unitId).toBe(org.units.co2);
    const reasons = res.json.lead[0].reasons.map((r: { workflowId: string }) => r.workflowId);
    expect(reasons[0]).toBe(planted);
    expect(reasons).toEqual(expect.arrayContaining(precedents));
    expect(res.json.co[0].unitId).toBe(org.units.co1);
    expect(res.json.co[0].reasons.every((r: { role: string }) => r.role === 'co')).toBe(true);
    // Nothing was applied: the proposal is still waiting to be assigned, with no unit.
    const after = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}`);
    expect(after.json.proposal.stage).toBe('filed');
    expect(after.json.proposal.unitIds).toEqual([]);
    // Only the office and the committee assign: anyone else is refused by role, whatever the proposal.
    const liaison = await api.call(d.tokens.leadLiaison!, 'GET', `/api/proposals/${enc(id)}/unit-suggestions`);
    expect([liaison.status, liaison.json.error]).toEqual([403, 'FORBIDDEN_ROLE']);
  });

  it('suggests a unit whose remit (职责) holds the proposal’s words, showing those words, even with no precedent', async () => {
    const remitWord = '滩涂湿地';
    await setUnitRemit(db, org.units.other, `海洋渔业 ${remitWord}保护 海岸带 渔港建设`);
    try {
      const res = await api.call(d.tokens.office!, 'POST', '/api/search/similar', {
        title: '关于加强滩涂湿地保护与渔港建设的建议',
        body: '建议加强滩涂湿地保护，规划渔港建设。',
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      const other = res.json.suggestion.lead.find((u: { unitId: string }) => u.unitId === org.units.other);
      expect(other, JSON.stringify(res.json.suggestion)).toBeDefined();
      expect(other.remit.words).toEqual(expect.arrayContaining(['渔港']));
      expect(other.remit.score).toBeGreaterThan(0);
      // Cleared, it is no longer a reason.
      await setUnitRemit(db, org.units.other, '  ');
      const again = await api.call(d.tokens.office!, 'POST', '/api/search/similar', { title: '关于加强滩涂湿地保护与渔港建设的建议' });
      expect(again.json.suggestion.lead.find((u: { unitId: string }) => u.unitId === org.units.other)).toBeUndefined();
    } finally {
      await setUnitRemit(db, org.units.other, null);
    }
  });
});
