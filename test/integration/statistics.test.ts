import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import JSZip from 'jszip';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderToPng } from '../../scripts/render-letter.js';
import { readBack } from '../support/xlsx.js';
import { launchBrowser, Person, PHONE } from '../browser/support/browser.js';
import { countFigures, countFiguresFromLog, discrepancyReport, drillDown, FIGURE_KEYS, type FigureKey, type FigureRow } from '../../client/read/statistics/index.js';
import { shanghaiDate } from '../../workflows/shared/dates.js';
import { eventually, temporalClient, uniq } from '../support/context.js';
import { maybeRecordHistory } from '../support/histories.js';
import { enc } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// A hand-counted session: seven proposals with known outcomes driven through the real stack
// (HTTP API → Temporal workflows → PostgreSQL), then every figure compared with the count worked
// out by hand below. Clocks are shortened by policy: a reply is due 20 s after assignment, the
// feedback window closes 15 s after dispatch.
//
//   unit L (org.units.lead)            unit K (org.units.co1)
//   P1 A, 面商, on time, rated 满意/满意 by the member, published in its window
//   P2 B, phone only, on time, rated 满意/不满意 → re-handled: round 1 B, rated 基本满意/基本满意,
//      closed, 回头看 reported
//                                      P3 A, 面商, replied LATE, rated 满意/满意 on a paper form (office)
//                                      P4 C, 面商, due passed but an approved extension moved it: on
//                                         time; no feedback (policy: excluded); closed, 回头看 never reported
//   P5 merged into P1 (not counted except as 并案)
//   P6 key proposal (重点提案), never replied: overdue
//                                      P7 A, 面商, on time, rated 基本满意/不满意 → re-handling (open)

const REPLY_SECONDS = 20;
const suite = useSuite({
  policy: {
    durations: {
      reply: { key: 'reply', label: '答复期限', amount: REPLY_SECONDS, unit: 'seconds' },
      feedbackWindow: { key: 'feedbackWindow', label: '征询意见期限', amount: 15, unit: 'seconds' },
    },
    clock: { reminderOffsets: [], escalation: [], keyEscalation: [] },
  },
});

const today = () => shanghaiDate(new Date().toISOString());
const tomorrow = () => shanghaiDate(new Date(Date.now() + 86_400_000).toISOString());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Hand counts: [numerator, denominator] per unit and for the session (per proposal, form or reply).
type Counts = Partial<Record<FigureKey, [number, number]>>;
const EXPECTED_L: Counts = {
  replied: [2, 3], // P1, P2 of P1, P2, P6
  onTime: [2, 3], // P1, P2 on time; P6 overdue and unreplied
  faceToFace: [1, 2], // P1 met; P2 phone only
  classA: [1, 2],
  classB: [1, 2],
  classC: [0, 2],
  rehandled: [1, 2], // P2
  attitudeSatisfied: [2, 2], // P1 round 0 满意, P2 round 1 基本满意 (latest round)
  resultSatisfied: [2, 2],
  noFeedback: [0, 2],
  paperRatings: [0, 2],
  publishedInWindow: [1, 1], // P1
};
const EXPECTED_K: Counts = {
  replied: [3, 3],
  onTime: [2, 3], // P4 (extended) and P7 on time; P3 late
  faceToFace: [3, 3],
  classA: [2, 3], // P3, P7
  classB: [0, 3],
  classC: [1, 3], // P4
  rehandled: [1, 3], // P7
  attitudeSatisfied: [2, 2], // P3 满意, P7 基本满意; P4's no feedback is excluded by policy
  resultSatisfied: [1, 2], // P3; P7 不满意
  noFeedback: [1, 3], // P4
  paperRatings: [1, 2], // P3 on paper, P7 by the member
  publishedInWindow: [0, 0],
};
const EXPECTED_SESSION: Counts = {
  replied: [5, 6], // P1 P2 P3 P4 P7 of six filed (P5 merged is not counted)
  onTime: [4, 6],
  faceToFace: [4, 5],
  classA: [3, 5], // per reply: P1 P3 P7
  classB: [1, 5],
  classC: [1, 5],
  rehandled: [2, 5],
  attitudeSatisfied: [4, 4],
  resultSatisfied: [3, 4],
  noFeedback: [1, 5],
  paperRatings: [1, 4],
  publishedInWindow: [1, 1],
  merged: [1, 1],
};

function counts(row: FigureRow | undefined): Counts {
  const out: Counts = {};
  for (const key of FIGURE_KEYS) out[key] = row ? [row.figures[key].num, row.figures[key].den] : [0, 0];
  return out;
}

/** A .docx through LibreOffice: its PNG pages (kept in .tmp/reports) and the PDF's text. */
function printDocx(name: string, docx: Buffer): { pngs: string[]; text: string } {
  const out = join(process.cwd(), '.tmp', 'reports');
  mkdirSync(out, { recursive: true });
  const file = join(out, `${name}.docx`);
  writeFileSync(file, docx);
  const { pdf, pngs } = renderToPng(file, out);
  return { pngs, text: execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }) };
}

describe('statistics over a hand-counted session', () => {
  const ids: Record<string, string> = {};
  let L: string;
  let K: string;

  beforeAll(async () => {
    const { d, org, db } = suite;
    L = org.units.lead;
    K = org.units.co1;
    const me = { kind: 'member' as const, name: `张永庆${org.prefix}`, email: org.proposerEmails.first, phone: '13800000000', sector: '经济界' };
    const register = (title: string) => d.register({ title: `关于${title}${uniq('')}的建议`, proposerKind: 'individual', proposers: [me] });
    const file = (id: string) => d.ok('committee', id, 'file', { outcome: 'filed', proposalNo: `第${uniq('')}号` });
    const assign = (id: string, unit: string) => d.ok('office', id, 'assign', { mode: 'sole', units: [unit] });
    const answer = async (id: string, unit: 'L' | 'K', replyClass: string, way: string) => {
      const [liaison, leader] = unit === 'L' ? ['leadLiaison', 'leadLeader'] : ['co1Liaison', 'co1Leader'];
      await d.ok(liaison, id, 'recordConsultation', { date: today(), way, participants: '提案者、承办处室', summary: '沟通，听取意见。' });
      const extra = replyClass === 'A' ? {} : { promisedActions: '年内出台实施方案', followUpDate: tomorrow() };
      await d.ok(liaison, id, 'saveDraft', { body: `答复正文${uniq('')}：已开展工作；下一步工作。`, replyClass, ...extra });
      await d.ok(liaison, id, 'submitForSignOff', {});
      await d.ok(leader, id, 'signOff', { decision: 'approve' });
    };
    const rate = (who: 'proposer' | 'office', id: string, attitude: string, result: string) =>
      d.ok(who, id, 'rate', { attitude, result, ...(who === 'office' ? { proposerId: org.actors.proposer.proposerId } : {}) });

    // Clocks that must run out first: P3 (late), P4 (extended), P6 (overdue key proposal).
    ids.P3 = await register('迟复');
    await file(ids.P3);
    await assign(ids.P3, K);
    const lateFrom = Date.now();
    ids.P4 = await register('延期');
    await file(ids.P4);
    await assign(ids.P4, K);
    const extendFrom = Date.now();
    await d.ok('co1Liaison', ids.P4, 'requestExtension', { newDate: tomorrow(), reason: '需要会同有关部门调研' });
    await d.ok('office', ids.P4, 'decideExtension', { unitId: K, decision: 'approve', answer: '同意延期' });
    ids.P6 = await register('重点');
    await d.ok('committee', ids.P6, 'markKey', { supervisingLeader: '王副主席' });
    await file(ids.P6);
    await assign(ids.P6, L);

    ids.P1 = await register('面商满意');
    await file(ids.P1);
    ids.P5 = await register('并案');
    await d.ok('committee', ids.P5, 'file', { outcome: 'merged', mergedInto: ids.P1 });
    await assign(ids.P1, L);
    await answer(ids.P1, 'L', 'A', 'face_to_face');
    await d.stage(ids.P1, 'dispatched');
    await rate('proposer', ids.P1, 'satisfied', 'satisfied');
    await d.ok('leadLiaison', ids.P1, 'proposePublication', { mode: 'full' });
    await d.ok('office', ids.P1, 'approvePublication', {});

    ids.P2 = await register('重新办理');
    await file(ids.P2);
    await assign(ids.P2, L);
    await answer(ids.P2, 'L', 'B', 'phone');
    await d.stage(ids.P2, 'dispatched');
    await rate('proposer', ids.P2, 'satisfied', 'unsatisfied');
    await d.stage(ids.P2, 'handling');
    await answer(ids.P2, 'L', 'B', 'face_to_face');
    await d.stage(ids.P2, 'dispatched');
    await rate('proposer', ids.P2, 'basically_satisfied', 'basically_satisfied');
    await d.ok('office', ids.P2, 'close', {});
    await d.stage(ids.P2, 'closed');
    await d.ok('leadLiaison', ids.P2, 'reportFollowUp', { body: '实施方案已经出台。' });
    // A replay fixture of 回头看 per promise (closed with its checkpoint, the unit's report).
    const temporal = await temporalClient();
    await maybeRecordHistory(temporal, ids.P2, 'follow-up-per-promise');
    await temporal.connection.close();

    ids.P7 = await register('A类不满意');
    await file(ids.P7);
    await assign(ids.P7, K);
    await answer(ids.P7, 'K', 'A', 'face_to_face');
    await d.stage(ids.P7, 'dispatched');
    await rate('proposer', ids.P7, 'basically_satisfied', 'unsatisfied');
    await d.stage(ids.P7, 'handling');

    // Past the original due dates: P3 answers late, P4 inside its extension.
    await sleep(Math.max(0, lateFrom + (REPLY_SECONDS + 2) * 1000 - Date.now()));
    await sleep(Math.max(0, extendFrom + (REPLY_SECONDS + 2) * 1000 - Date.now()));
    await answer(ids.P3, 'K', 'A', 'face_to_face');
    await answer(ids.P4, 'K', 'C', 'face_to_face');
    await d.stage(ids.P3, 'dispatched');
    await rate('office', ids.P3, 'satisfied', 'satisfied');
    await d.stage(ids.P4, 'dispatched');
    await eventually(async () => (await d.steps(ids.P4!)).includes('feedbackWindowClosed'), 40_000);
    await d.ok('office', ids.P4, 'close', {});
    await d.stage(ids.P4, 'closed');
    await eventually(async () => {
      const row = await db.selectFrom('publications').select('published_at').where('workflow_id', '=', ids.P1!).executeTakeFirst();
      return row?.published_at ?? null;
    });
  }, 240_000);

  it('every figure per unit and for the session equals the hand count', async () => {
    const rows = await countFigures(suite.db, { sessionCode: suite.org.sessionCode, asOf: new Date() });
    const pick = (unit: string | null) => rows.find((r) => r.unitId === unit);
    expect(rows.map((r) => r.unitId).sort()).toEqual([K, L, null].sort());
    expect(counts(pick(L))).toMatchObject(EXPECTED_L);
    expect(counts(pick(K))).toMatchObject(EXPECTED_K);
    expect(counts(pick(null))).toMatchObject(EXPECTED_SESSION);
  });

  it('the list behind every number is as long as the number, and names the planted proposals', async () => {
    const scope = { sessionCode: suite.org.sessionCode, asOf: new Date() };
    const rows = await countFigures(suite.db, scope);
    for (const row of rows) {
      for (const figure of FIGURE_KEYS) {
        for (const part of ['num', 'den'] as const) {
          const list = await drillDown(suite.db, scope, { figure, part, unitId: row.unitId ?? undefined, limit: 100 });
          expect(list.count, `${figure} ${part} ${row.unitId}`).toBe(row.figures[figure][part]);
        }
      }
    }
    const late = await drillDown(suite.db, scope, { figure: 'onTime', part: 'num', unitId: K, limit: 100 });
    expect(late.items.map((i) => i.workflowId).sort()).toEqual([ids.P4, ids.P7].sort());
    const replied = await drillDown(suite.db, scope, { figure: 'replied', part: 'den', limit: 100 });
    expect(replied.items.map((i) => i.workflowId).sort()).toEqual([ids.P1, ids.P2, ids.P3, ids.P4, ids.P6, ids.P7].sort());
  });

  it('the discrepancy report lists exactly the planted cases', async () => {
    // Three days on, the 回头看 date (tomorrow) has passed: P4 never reported, P2 did.
    const later = new Date(Date.now() + 3 * 86_400_000);
    const report = await discrepancyReport(suite.db, { sessionCode: suite.org.sessionCode, asOf: later });
    const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(report.unsatisfiedAB.map((r) => [r.workflowId, r.round, r.replyClass, r.unitId]).sort(byId)).toEqual(
      [
        [ids.P2, 0, 'B', L],
        [ids.P7, 0, 'A', K],
      ].sort(byId),
    );
    expect(report.overdueFollowUps.map((r) => r.workflowId)).toEqual([ids.P4]);
    expect(report.paperSatisfaction.map((r) => [r.unitId, r.onPaper, r.satisfied])).toEqual([[K, 1, 1]]);
    const now = await discrepancyReport(suite.db, { sessionCode: suite.org.sessionCode, asOf: new Date() });
    expect(now.overdueFollowUps).toEqual([]);
  });

  it('the API serves the same figures; a liaison sees only their own unit, a proposer nothing', async () => {
    const { api, d, org } = suite;
    const q = `?session=${enc(org.sessionCode)}`;
    const staff = await api.call(d.tokens.committee!, 'GET', `/api/statistics${q}`);
    expect(staff.status).toBe(200);
    const total = staff.json.rows.find((r: FigureRow) => r.unitId === null);
    expect(counts(total)).toMatchObject(EXPECTED_SESSION);
    const liaison = await api.call(d.tokens.co1Liaison!, 'GET', `/api/statistics${q}&unit=${enc(L)}`);
    expect(liaison.status).toBe(200);
    expect(new Set(liaison.json.rows.map((r: FigureRow) => r.unitId ?? K))).toEqual(new Set([K]));
    expect(counts(liaison.json.rows.find((r: FigureRow) => r.unitId === K))).toMatchObject(EXPECTED_K);
    expect((await api.call(d.tokens.proposer!, 'GET', `/api/statistics${q}`)).status).toBe(403);
    const drill = await api.call(d.tokens.office!, 'GET', `/api/statistics/replied/proposals${q}&unit=${enc(L)}&part=num`);
    expect(drill.status).toBe(200);
    expect(drill.json.items.map((i: { workflowId: string }) => i.workflowId).sort()).toEqual([ids.P1, ids.P2].sort());
    const bad = await api.call(d.tokens.office!, 'GET', `/api/statistics/nonsense/proposals${q}`);
    expect(bad.status).toBe(422);
    const badDate = await api.call(d.tokens.office!, 'GET', `/api/statistics${q}&from=2026-13-01`);
    expect(badDate.status).toBe(422);
    const disc = await api.call(d.tokens.committee!, 'GET', `/api/statistics/discrepancies${q}`);
    expect(disc.status).toBe(200);
    expect(disc.json.unsatisfiedAB).toHaveLength(2);
    const key = await api.call(d.tokens.committee!, 'GET', `/api/statistics/key-proposals${q}`);
    expect(key.json.items.map((i: { workflowId: string; supervisingLeader: string }) => [i.workflowId, i.supervisingLeader])).toEqual([[ids.P6, '王副主席']]);
    expect(key.json.items[0].overdue).toBe(true);
    expect((await api.call(null, 'GET', `/api/statistics${q}`)).status).toBe(401);
  });

  it('exports the figures and the discrepancy report as .xlsx, and the annual report as .docx, from the same figures', async () => {
    const { api, d, org } = suite;
    const get = (path: string, token = d.tokens.committee!) => fetch(`${api.server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const q = `?session=${enc(org.sessionCode)}`;
    const xlsx = await get(`/api/statistics/export.xlsx${q}`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = await readBack(new Uint8Array(await xlsx.arrayBuffer()));
    expect(book.sheet.name).toBe('办理统计');
    const totalRow = book.rows.find((r) => r['承办单位'] === '合计')!;
    expect([totalRow['办复率·分子'], totalRow['办复率·分母'], totalRow['办复率']]).toEqual([5, 6, '83.3%']);
    expect([totalRow['按期办复率·分子'], totalRow['按期办复率·分母']]).toEqual([4, 6]);
    expect([totalRow['办理结果满意率·分子'], totalRow['办理结果满意率·分母']]).toEqual([3, 4]);
    expect(book.rows).toHaveLength(3); // L, K and the total
    expect(book.workbook.getWorksheet('AB类不满意')!.rowCount).toBe(1 + 2);
    expect(book.workbook.getWorksheet('纸质代录为主')!.rowCount).toBe(1 + 1);
    // A liaison's export holds their own unit only.
    const own = await readBack(new Uint8Array(await (await get(`/api/statistics/export.xlsx${q}`, d.tokens.leadLiaison)).arrayBuffer()));
    expect(own.rows.map((r) => r['办复率·分母'])).toEqual([3, 3]);

    const docx = await get(`/api/statistics/report.docx${q}`);
    expect(docx.status).toBe(200);
    const zip = await JSZip.loadAsync(await docx.arrayBuffer());
    const xml = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    expect(xml).toContain(`关于${org.sessionCode}提案办理情况的报告`);
    expect(xml).toContain('已办复5件，办复率83.3%');
    expect(xml).toContain('按期办复4件（应按期办复6件），按期办复率66.7%');
    expect(xml).toContain('征询期满无反馈的1份，按规定不计入满意率');
    expect(xml).toContain('督办领导王副主席');
    // As printed: LibreOffice opens it, A4 pages, the same sentences (PNGs in .tmp/reports to look at).
    const printed = printDocx('annual-report', Buffer.from(await (await get(`/api/statistics/report.docx${q}`)).arrayBuffer()));
    expect(printed.pngs.length).toBeGreaterThanOrEqual(1);
    expect(printed.text.replace(/\s/g, '')).toContain('已办复5件，办复率83.3%');
    expect(printed.text.replace(/\s/g, '')).toContain(`关于${org.sessionCode}提案办理情况的报告`.replace(/\s/g, ''));
    expect((await get(`/api/statistics/report.docx${q}`, d.tokens.proposer)).status).toBe(403);

    // 通报: the progress notice names who is late right now (the overdue key proposal) from the same figures.
    const notice = await get(`/api/statistics/notice.docx${q}`);
    expect(notice.status).toBe(200);
    const noticeXml = (await (await JSZip.loadAsync(await notice.arrayBuffer())).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    expect(noticeXml).toContain(`关于${org.sessionCode}提案办理进展情况的通报`);
    expect(noticeXml).toContain('已办复5件，未办复1件');
    expect(noticeXml).toMatch(/逾期未办复的提案\d+件次/);
    expect(noticeXml).toContain('（重点提案）');
    expect(noticeXml).toContain('请以上单位抓紧办理');
    expect(printDocx('progress-notice', Buffer.from(await (await get(`/api/statistics/notice.docx${q}`)).arrayBuffer())).text).toContain('请以上单位抓紧办理');
    expect((await get(`/api/statistics/notice.docx${q}`, d.tokens.leadLiaison)).status).toBe(403);
  });

  describe('the dashboard page', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser(suite.api.server.url);
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('shows every figure as a link to its proposals, draws its charts as inline SVG under the page CSP, and lists the planted discrepancies', async () => {
      const { api, org } = suite;
      const person = await Person.open(browser, 'statistics-committee');
      const { page } = person;
      await page.goto(`${api.server.url}/`);
      await page.getByLabel('用户名').fill(org.users.committee!.username);
      await page.getByLabel('密码').fill(org.users.committee!.password);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL((url) => url.pathname !== '/' && url.pathname !== '/login');
      await page.getByRole('link', { name: '办理统计、督办与差异报告' }).click();
      await page.waitForURL(/\/committee\/dashboard/);
      await page.goto(`${api.server.url}/committee/dashboard?session=${enc(org.sessionCode)}`);
      await person.audit('dashboard');
      expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('svg.chart text').filter({ hasText: '办复率' }).count()).toBeGreaterThan(0);
      // Every figure of every unit row links to the list behind its numerator and denominator.
      for (const unit of [L, K]) {
        for (const figure of ['replied', 'onTime', 'resultSatisfied', 'faceToFace', 'classA', 'rehandled']) {
          expect(await page.locator(`a[href*="/committee/dashboard/figures/${figure}?"][href*="unit=${enc(unit)}"][href*="part=den"]`).count(), figure).toBe(1);
        }
      }
      const discrepancies = page.getByRole('region', { name: '差异报告' });
      expect(await discrepancies.getByRole('link').count()).toBe(2); // P2 and P7; no 回头看 is overdue yet
      const key = page.getByRole('table', { name: '重点提案督办情况' });
      expect(await key.getByText('王副主席').count()).toBe(1);

      await page.goto(`${api.server.url}/committee/dashboard/figures/onTime?session=${enc(org.sessionCode)}&unit=${enc(K)}&part=den`);
      await person.audit('drill-on-time');
      const rows = page.locator('tbody tr');
      expect(await rows.count()).toBe(3);
      expect(await rows.filter({ hasText: '是' }).count()).toBe(2);
      await page.goto(`${api.server.url}/committee/dashboard/sessions`);
      await person.audit('sessions');
      expect(await page.getByRole('row', { name: new RegExp(org.sessionCode) }).count()).toBe(1);
      expect(person.cspViolations).toEqual([]);
      expect(person.seriousViolations()).toEqual([]);
      // On a phone the same page: the tables fold into cards and the charts shrink with the page.
      const phone = await Person.open(browser, 'statistics-phone', PHONE);
      await phone.context.addCookies(await person.context.cookies());
      await phone.page.goto(`${api.server.url}/committee/dashboard?session=${enc(org.sessionCode)}`);
      await phone.audit('dashboard');
      const overflow = await phone.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      expect(phone.cspViolations).toEqual([]);
      await phone.close();
      await person.close();
    }, 90_000);
  });
  // Last: it adds a proposal to the session.
  it('the figures kept ahead equal the figures counted from the log, for every scope and instant, and follow the next action', async () => {
    const { db, d, org } = suite;
    const byKey = (rows: FigureRow[]) => [...rows].sort((a, b) => `${a.sessionCode}|${a.unitId}`.localeCompare(`${b.sessionCode}|${b.unitId}`));
    const instants = [new Date(), new Date(Date.now() - 86_400_000), new Date(Date.now() + 60 * 86_400_000)];
    const scopes = (asOf: Date) => [
      { sessionCode: org.sessionCode, asOf },
      { sessionCode: org.sessionCode, unitId: L, asOf },
      { asOf },
      { sessionCode: org.sessionCode, receivedFrom: today(), receivedTo: today(), asOf },
    ];
    for (const asOf of instants) {
      for (const scope of scopes(asOf)) {
        expect(byKey(await countFigures(db, scope)), JSON.stringify(scope)).toEqual(byKey(await countFiguresFromLog(db, scope)));
      }
    }
    const before = (await countFigures(db, { sessionCode: org.sessionCode, asOf: new Date() })).find((r) => r.unitId === L)!;
    const id = await d.register({ title: `关于${uniq('')}的建议` });
    await d.ok('committee', id, 'file', { outcome: 'filed', proposalNo: `第${uniq('')}号` });
    await d.ok('office', id, 'assign', { mode: 'sole', units: [L] });
    const scope = { sessionCode: org.sessionCode, asOf: new Date() };
    const after = await countFigures(db, scope);
    expect(after.find((r) => r.unitId === L)!.figures.replied.den).toBe(before.figures.replied.den + 1);
    expect(byKey(after)).toEqual(byKey(await countFiguresFromLog(db, scope)));
  });
});
