import type { Selectable } from 'kysely';
import { SaxesParser } from 'saxes';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../activities/documents/render-html.js';
import { atomFeed, xmlText } from '../../client/http/public/feed.js';
import { beijingMinute, entryPath } from '../../client/http/public/format.js';
import type { Db } from '../../db/connection.js';
import type { PublishedEntry } from '../../db/repositories/publications.js';
import type { PublicationTable } from '../../db/schema.js';
import { eventually, uniq, type Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';
import { createSession } from '../../client/http/auth.js';
import { contains, launchBrowser, Person } from '../browser/support/browser.js';
import { SESSION_COOKIE } from '../../client/http/middleware/auth.js';

// The public site (client/http/public/): replies published end to end through the API (the
// workflow publishes by itself once the office approves) are listed, searchable, shown in seed
// 000's layout without the proposer's numbers, and in the Atom feed; nothing else is reachable,
// whatever id is tried. And the office's preview of the public version beside the letter.

type PublicationRow = Selectable<PublicationTable>;

const suite = useSuite();
let db: Db;
let api: Api;
let org: Org;
let d: Driver;

interface Page {
  status: number;
  type: string;
  headers: Headers;
  body: string;
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Page> {
  const res = await fetch(`${api.server.url}${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, body: await res.text() };
}

/** Well-formed XML or the parser's complaint (saxes: the strict parser exceljs reads .xlsx with). */
function xmlProblem(xml: string): string | null {
  const parser = new SaxesParser({ xmlns: true });
  let problem: string | null = null;
  parser.on('error', (err) => (problem ??= err.message));
  parser.write(xml).close();
  return problem;
}

/** A reply through the whole API: filed, assigned, consulted, drafted, signed, dispatched, rated. */
async function dispatched(body: string, title = `关于${uniq('')}的建议`): Promise<string> {
  const id = await d.register({ title });
  await d.ok('committee', id, 'file', { outcome: 'filed', proposalNo: `第${uniq('')}号` });
  await d.ok('office', id, 'assign', { mode: 'sole', units: [org.units.lead] });
  await d.ok('leadLiaison', id, 'recordConsultation', { date: '2026-02-03', way: 'face_to_face', participants: '提案者、承办处室', summary: '面商，听取意见。' });
  await d.ok('leadLiaison', id, 'saveDraft', { body, replyClass: 'A' });
  await d.ok('leadLiaison', id, 'submitForSignOff', {});
  await d.ok('leadLeader', id, 'signOff', { decision: 'approve' });
  await d.stage(id, 'dispatched');
  await d.ok('proposer', id, 'rate', { attitude: 'satisfied', result: 'satisfied' });
  return id;
}

async function publicationOf(id: string, done: (row: PublicationRow) => boolean): Promise<PublicationRow> {
  return eventually(async () => {
    const row = await db.selectFrom('publications').selectAll().where('workflow_id', '=', id).executeTakeFirst();
    return row && done(row) ? row : null;
  });
}

const word = uniq('词');
let full: { id: string; pub: PublicationRow; title: string; proposalTitle: string };
let summarised: { id: string; pub: PublicationRow; summary: string };
let unpublished: string;
let withheld: { id: string; pub: PublicationRow };

beforeAll(async () => {
  ({ db, api, org, d } = suite);
  // The drafter quotes the member's own mobile and address: the public version must not.
  const proposalTitle = `关于“数字&经济”<${uniq('')}>的建议`;
  full = {
    id: await dispatched(
      `一、办理情况\n经电话（13800000000）和邮件（${org.proposerEmails.first}）与您沟通，${word}，形成如下意见。\n二、下一步工作\n我们将抓好落实。`,
      proposalTitle,
    ),
    pub: null!,
    title: '',
    proposalTitle,
  };
  await d.ok('leadLiaison', full.id, 'proposePublication', { mode: 'full' });
  await d.ok('office', full.id, 'approvePublication', {});
  full.pub = await publicationOf(full.id, (r) => r.index_no !== null);
  full.title = (await db.selectFrom('documents').select('title').where('id', '=', full.pub.public_document_id!).executeTakeFirstOrThrow()).title;

  const summary = `承办单位已会同有关部门研究提案建议${uniq('')}，明确了下一步工作安排。`;
  summarised = { id: await dispatched('一、办理情况\n内部工作安排的详细说明，不宜全文公开。'), pub: null!, summary };
  await d.ok('leadLiaison', summarised.id, 'proposePublication', { mode: 'summary', reason: '涉及内部工作安排，摘要公开', summary });
  await d.ok('office', summarised.id, 'approvePublication', {});
  summarised.pub = await publicationOf(summarised.id, (r) => r.index_no !== null);

  unpublished = await dispatched('一、办理情况\n已答复，尚未决定是否公开。');
  const withheldId = await dispatched('一、办理情况\n涉及尚未公开的工作方案。');
  await d.ok('leadLiaison', withheldId, 'proposePublication', { mode: 'none', reason: '涉及尚未公开的工作方案' });
  await d.ok('office', withheldId, 'approvePublication', {});
  await eventually(async () => db.selectFrom('events').select('id').where('workflow_id', '=', withheldId).where('step', '=', 'publish').executeTakeFirst());
  withheld = { id: withheldId, pub: await publicationOf(withheldId, (r) => r.status === 'approved') };
}, 240_000);

describe('the list', () => {
  it('shows the published replies, newest first, with their 索引号, and nothing else of the session', async () => {
    const page = await get(`/public?session=${enc(org.sessionCode)}`);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.body).toContain('<html lang="zh-CN">');
    expect(page.body).toContain(full.pub.index_no);
    expect(page.body).toContain(`href="${entryPath(full.pub.index_no!)}"`);
    expect(page.body).toContain(full.title);
    expect(page.body).toContain(`提案《${escapeHtml(full.proposalTitle)}》`);
    expect(page.body).toContain(summarised.pub.index_no);
    expect(page.body).toContain('找到 2 条符合条件的答复');
    // Newest first: the summary was published after the full text.
    expect(page.body.indexOf(summarised.pub.index_no!)).toBeLessThan(page.body.indexOf(full.pub.index_no!));
    for (const id of [unpublished, withheld.id]) expect(page.body).not.toContain(id);

    // The whole site, unfiltered, starts with the newest entry of all.
    const all = await get('/public');
    expect(all.status).toBe(200);
    expect(all.body).toContain(summarised.pub.index_no);
  });

  it('searches by session, unit and keyword in the public text (never in what it removed)', async () => {
    const byUnit = await get(`/public?unit=${enc(org.units.lead)}`);
    expect(byUnit.body).toContain(full.pub.index_no);
    expect(byUnit.body).toContain(`<option value="${org.units.lead}" selected="">`);
    const byWord = await get(`/public?q=${enc(word)}&session=${enc(org.sessionCode)}`);
    expect(byWord.body).toContain(full.pub.index_no);
    expect(byWord.body).not.toContain(summarised.pub.index_no);
    expect(byWord.body).toContain(`value="${word}"`);
    const byPhone = await get(`/public?q=13800000000&session=${enc(org.sessionCode)}`);
    expect(byPhone.body).not.toContain(full.pub.index_no);
    expect(byPhone.body).toContain('没有找到符合条件的答复');
    const otherUnit = await get(`/public?unit=${enc(org.units.other)}&q=${enc(word)}`);
    expect(otherUnit.body).not.toContain(full.pub.index_no);
    // A hostile keyword is text on the page, never markup.
    const hostile = await get(`/public?q=${enc('"><script>alert(1)</script>')}`);
    expect(hostile.status).toBe(200);
    expect(hostile.body).not.toContain('<script>alert(1)</script>');
    expect(hostile.body).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('pages through the results and refuses a page number that is not one', async () => {
    const second = await get(`/public?session=${enc(org.sessionCode)}&page=2`);
    expect(second.status).toBe(200);
    expect(second.body).toContain('这一页没有内容');
    const bad = await get('/public?page=abc');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('页码必须是正整数');
  });

  it('is a page for anyone: no session, no cookie, no script, no inline style, under the pages’ CSP', async () => {
    for (const path of ['/public', entryPath(full.pub.index_no!), '/public/nothing-here']) {
      const page = await get(path);
      expect(page.headers.get('set-cookie'), path).toBeNull();
      expect(page.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(page.headers.get('content-security-policy'), path).not.toContain('unsafe-inline');
      expect(page.body, path).not.toMatch(/<script|\sstyle=|<style|\son[a-z]+=/i);
      const css = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)![1]!;
      expect((await get(css)).type).toMatch(/^text\/css/);
    }
  });
});

describe('an entry', () => {
  it('shows seed 000’s metadata block and the public version of the letter, without the proposer’s phone or mail', async () => {
    const pub = full.pub;
    const page = await get(entryPath(pub.index_no!));
    expect(page.status).toBe(200);
    const meta = /<dl class="meta"[\s\S]*?<\/dl>/.exec(page.body)![0];
    const field = (label: string) => new RegExp(`<dt>${label}</dt><dd>(?:<time[^>]*>)?([^<]*)`).exec(meta)?.[1];
    expect(field('索引号')).toBe(pub.index_no);
    expect(field('组配分类')).toBe('政协委员提案');
    expect(field('发布机构')).toBe(pub.organ);
    expect(field('生成日期')).toBe(pub.generated_on);
    expect(field('文件编号')).toBe(pub.doc_no);
    expect(field('发布日期')).toBe(beijingMinute(pub.published_at!.toISOString()));
    expect(pub.organ).toBe('省发展改革委');
    expect(pub.doc_no).toMatch(/^浙发改/);
    expect(page.body).toContain(`<h1 class="entry-heading">${full.title}</h1>`);
    expect(page.body).toContain(`信息来源：${pub.organ}`);

    const letter = /<article class="letter"[\s\S]*<\/article>/.exec(page.body)![0];
    expect(letter).toContain(`张永庆${org.prefix}`);
    expect(letter).toContain(word);
    expect(letter).toContain('经电话（×××）和邮件（×××）与您沟通');
    expect(page.body).not.toContain('13800000000');
    expect(page.body).not.toContain(org.proposerEmails.first);
    // The unit's contact line stays: the public may call the unit.
    expect(letter).toContain('0571-87050000');
    // The 索引号 with its slash encoded is the same entry.
    expect((await get(`/public/${enc(pub.index_no!)}`)).body).toBe(page.body);
  });

  it('shows a summary publication as the summary, marked as such', async () => {
    const page = await get(entryPath(summarised.pub.index_no!));
    expect(page.status).toBe(200);
    expect(page.body).toContain('本件为答复摘要公开');
    expect(page.body).toContain(summarised.summary);
    expect(page.body).not.toContain('内部工作安排的详细说明');
  });

  it('answers every other id with the same 404 page: not published, withheld, another proposal, the internal letter, garbage', async () => {
    const unknown = await get('/public/000000000/2026-1');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toMatch(/^text\/html/);
    expect(unknown.body).toContain('没有找到这条公开信息');
    const unpublishedLetter = await db
      .selectFrom('documents')
      .select('id')
      .where('workflow_id', '=', unpublished)
      .where('kind', '=', 'reply_letter')
      .executeTakeFirstOrThrow();
    const [orgCode, yearSerial] = full.pub.index_no!.split('/') as [string, string];
    const nextSerial = `${orgCode}/${yearSerial.split('-')[0]}-${Number(yearSerial.split('-')[1]) + 100}`;
    const tries = [
      `/public/${enc(unpublished)}`,
      `/public/${enc(withheld.id)}`,
      `/public/${enc(full.id)}`,
      `/public/${full.pub.letter_document_id}`,
      `/public/${full.pub.public_document_id}`,
      `/public/${unpublishedLetter.id}`,
      `/public/${withheld.pub.letter_document_id ?? 999999}`,
      entryPath(nextSerial),
      `/public/${orgCode}`,
      `/public/${orgCode}/`,
      `/public/${enc(full.pub.index_no!)}x`,
      `/public/${full.pub.index_no!.toLowerCase()}x/1`,
      `/public/${enc("' OR 1=1 --")}`,
      `/public/${enc('<script>alert(1)</script>')}`,
      '/public/%E0%A4%A',
      `/public/a/b/c`,
      `/public/${'9'.repeat(5000)}`,
    ];
    for (const path of tries) {
      const page = await get(path);
      expect(page.status, path).toBe(404);
      expect(page.body, path).toBe(unknown.body);
    }
    // A program asking for JSON gets the same: there is no other door to an entry.
    expect((await get(`/public/${enc(unpublished)}`, { accept: 'application/json' })).status).toBe(404);
  });
});

describe('the Atom feed', () => {
  it('is well-formed Atom with the latest entries, linked to their pages', async () => {
    const feed = await get('/public/feed.atom');
    expect(feed.status).toBe(200);
    expect(feed.type).toBe('application/atom+xml; charset=utf-8');
    expect(xmlProblem(feed.body)).toBeNull();
    expect(feed.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    const url = `${api.server.url}${entryPath(full.pub.index_no!)}`;
    expect(feed.body).toContain(`<id>${url}</id>`);
    expect(feed.body).toContain(`<link rel="alternate" type="text/html" hreflang="zh-CN" href="${url}"/>`);
    expect(feed.body).toContain(`<title type="text">${full.title}</title>`);
    expect(feed.body).toContain(`提案《${xmlText(full.proposalTitle)}》的答复。索引号：${full.pub.index_no}`);
    expect(feed.body).toContain(`<published>${full.pub.published_at!.toISOString()}</published>`);
    for (const id of [unpublished, withheld.id]) expect(feed.body).not.toContain(id);
    // Newest first.
    expect(feed.body.indexOf(summarised.pub.index_no!)).toBeLessThan(feed.body.indexOf(full.pub.index_no!));
  });

  it('escapes whatever a title holds and drops what XML cannot carry', () => {
    const hostile: PublishedEntry = {
      workflowId: 'w',
      indexNo: 'X1/2026-1',
      classification: '政协<委员>提案',
      organ: '省"发展"&改革委',
      generatedOn: '2026-03-01',
      publishedAt: '2026-03-02T03:04:05.000Z',
      docNo: "浙发改提〔2026〕1号'",
      title: '关于<script>&amp;"引号"\u0001\u0008\uD800的答复 ]]>',
      sessionCode: 's',
      proposalNo: null,
      proposalTitle: '关于“A&B”<建议>',
      unitId: 'u',
      unitName: 'u',
      mode: 'full',
      publicDocumentId: 1,
    };
    const xml = atomFeed([hostile], 'http://example.test');
    expect(xmlProblem(xml)).toBeNull();
    expect(xml).toContain('<title type="text">关于&lt;script&gt;&amp;amp;&quot;引号&quot;的答复 ]]&gt;</title>');
    expect(xml).toContain('<category term="政协&lt;委员&gt;提案"/>');
    expect(xml).toContain('提案《关于“A&amp;B”&lt;建议&gt;》的答复');
    expect(xmlProblem(atomFeed([], 'http://example.test'))).toBeNull();
  });
});

describe('the office’s page: 公开版本预览', () => {
  async function pageAs(who: 'office' | 'committee' | 'leadLiaison', path: string): Promise<Page> {
    const user = await db.selectFrom('users').select('id').where('username', '=', org.users[who]!.username).executeTakeFirstOrThrow();
    const { token } = await createSession(db, user.id, 'page', 'public-site-test');
    return get(path, { accept: 'text/html', cookie: `${SESSION_COOKIE}=${token}` });
  }

  it('shows the letter beside its public version, the details removed and the 索引号 once published; to the office and the committee only', async () => {
    const page = await pageAs('office', `/proposals/${enc(full.id)}/publication`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('公开版本预览');
    expect(page.body).toContain('全文公开（已审定）');
    expect(page.body).toContain(`索引号 ${full.pub.index_no}`);
    expect(page.body).toMatch(/<del>.*13800000000/s);
    expect(page.body).toMatch(/<ins>.*经电话（×××）/s);
    expect(page.body).toContain('已删去提案者的个人信息 2 处');
    expect((await pageAs('committee', `/proposals/${enc(full.id)}/publication`)).status).toBe(200);
    expect((await pageAs('leadLiaison', `/proposals/${enc(full.id)}/publication`)).status).toBe(404);
    // The queue row and the proposal's page link to it.
    expect((await pageAs('office', `/proposals/${enc(full.id)}`)).body).toContain(`/proposals/${enc(full.id)}/publication`);
  });

  it('reads well in Chromium: no serious axe finding, no CSP violation (screenshot in .tmp/screenshots)', async () => {
    const browser = await launchBrowser(api.server.url);
    try {
      const office = await Person.open(browser, 'publication-review');
      const user = await db.selectFrom('users').select('id').where('username', '=', org.users.office!.username).executeTakeFirstOrThrow();
      const { token } = await createSession(db, user.id, 'page', 'public-site-test');
      await office.context.addCookies([{ name: SESSION_COOKIE, value: token, url: api.server.url }]);
      await office.page.goto(`${api.server.url}/proposals/${enc(full.id)}/publication`);
      await contains(office.page.locator('main'), '公开版本改动了');
      await office.audit('letter-beside-public-version');
      expect(office.seriousViolations()).toEqual([]);
      expect(office.cspViolations).toEqual([]);
      await office.close();
    } finally {
      await browser.close();
    }
  });

  it('says so where nothing was dispatched yet', async () => {
    const id = await d.assigned('sole');
    const page = await pageAs('office', `/proposals/${enc(id)}/publication`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('还没有寄发的答复函');
  });
});

describe('GET /api/proposals/{id}/publication/preview', () => {
  it('shows the office and the committee the public version beside the letter, with the diff and what was removed', async () => {
    for (const who of ['office', 'committee']) {
      const res = await api.call(d.tokens[who]!, 'GET', `/api/proposals/${enc(full.id)}/publication/preview`);
      expect(res.status, who).toBe(200);
      expect(res.json.mode).toBe('full');
      expect(res.json.decision).toEqual({ mode: 'full', reason: null, status: 'approved' });
      expect(res.json.published).toMatchObject({ indexNo: full.pub.index_no, url: entryPath(full.pub.index_no!) });
      expect(res.json.internal.join('\n')).toContain('13800000000');
      expect(res.json.public.join('\n')).not.toContain('13800000000');
      const changed = res.json.diff.filter((l: { op: string }) => l.op !== 'same');
      expect(changed.map((l: { op: string }) => l.op)).toEqual(['removed', 'added']);
      expect(changed[1].text).toContain('经电话（×××）和邮件（×××）');
      expect(res.json.redactions.map((r: { found: string }) => r.found).sort()).toEqual(['13800000000', org.proposerEmails.first].sort());
    }
  });

  it('previews a summary: the one the unit proposed, or one the office types', async () => {
    const proposed = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(summarised.id)}/publication/preview`);
    expect(proposed.status).toBe(200);
    expect(proposed.json.mode).toBe('summary');
    expect(proposed.json.public.join('\n')).toContain(summarised.summary);
    const typed = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(unpublished)}/publication/preview?mode=summary&summary=${enc('办公厅拟定的摘要。')}`);
    expect(typed.status).toBe(200);
    expect(typed.json.decision).toBeNull();
    expect(typed.json.published).toBeNull();
    expect(typed.json.public.join('\n')).toContain('办公厅拟定的摘要。');
    const noSummary = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(unpublished)}/publication/preview?mode=summary`);
    expect(noSummary.status).toBe(422);
    expect(noSummary.json.field).toBe('summary');
    const badMode = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(unpublished)}/publication/preview?mode=none`);
    expect(badMode.status).toBe(422);
  });

  it('is refused to every role but the office and the committee, 403 before the proposal is looked up (so it reveals nothing of it)', async () => {
    const path = `/api/proposals/${enc(full.id)}/publication/preview`;
    for (const who of ['leadLiaison', 'leadLeader', 'proposer', 'cosigner']) expect((await api.call(d.tokens[who]!, 'GET', path)).status, who).toBe(403);
    for (const who of ['otherLiaison', 'co1Liaison']) expect((await api.call(d.tokens[who]!, 'GET', path)).status, who).toBe(403);
    expect((await api.call(null, 'GET', path)).status).toBe(401);
    expect((await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(`${full.id}x`)}/publication/preview`)).status).toBe(404);
  });

  it('answers 409 for a proposal without a dispatched letter', async () => {
    const id = await d.assigned('sole');
    const res = await api.call(d.tokens.office!, 'GET', `/api/proposals/${enc(id)}/publication/preview`);
    expect(res.status).toBe(409);
    expect(res.json.message).toContain('尚无已寄发的答复函');
  });
});
