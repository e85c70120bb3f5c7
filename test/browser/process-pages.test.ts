import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { seedAdmin, seedOrg, testDb, type Org } from '../support/context.js';
import { Driver } from '../support/drive.js';
import { enc, startApi, type Api } from '../support/http.js';
import { contains, launchBrowser, Person, SCREENSHOTS, stopAfterFirstFailure } from './support/browser.js';

// The pages of the process's later rules, as their people see them in Chromium: the
// administrator writes a unit's 审签流程; a liaison's inbox and the office's queues show the
// office's own decision deadline; a reply waits at its chain's step; a closed proposal shows
// each unit's 回头看 checkpoint; the office's 联名 list. axe-core audits every page.

let db: Db;
let api: Api;
let org: Org;
let d: Driver;
let browser: Browser;
const people: Person[] = [];
const ADMIN_PASSWORD = 'admin-password-789';

async function signIn(label: string, user: { username: string; password: string }): Promise<Person> {
  const person = await Person.open(browser, label);
  people.push(person);
  const { page } = person;
  await page.goto(api.server.url + '/');
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname !== '/' && url.pathname !== '/login');
  return person;
}

const inMonths = (months: number) => new Date(Date.now() + 8 * 3600_000 + months * 31 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  db = testDb();
  api = await startApi(db);
  org = await seedOrg(db);
  d = await new Driver(api, db, org).login();
  await seedAdmin(db, `${org.prefix}-admin`, ADMIN_PASSWORD, null);
  browser = await launchBrowser(api.server.url);
}, 120_000);

afterAll(async () => {
  for (const p of people) await p.close().catch(() => undefined);
  await browser?.close();
  await api?.close();
  await db?.destroy();
});

stopAfterFirstFailure();

describe('the process pages, in a browser', () => {
  it("the administrator writes a unit's sign-off chain in words; a step that is no step is refused and nothing is saved", async () => {
    const admin = await signIn('pp-admin', { username: `${org.prefix}-admin`, password: ADMIN_PASSWORD });
    const { page } = admin;
    await page.goto(`${api.server.url}/admin/units/${enc(org.units.lead)}`);
    await page.getByLabel('审签流程：一般答复').fill('处室审核 → 局长');
    await page.getByRole('button', { name: '保存' }).click();
    await contains(page.locator('body'), '「局长」不是审签环节');
    await admin.audit('unit-chain-refused');
    const untouched = await db.selectFrom('units').select('signoff_chain').where('id', '=', org.units.lead).executeTakeFirstOrThrow();
    expect(untouched.signoff_chain).toBeNull();
    await page.getByLabel('审签流程：一般答复').fill('处室审核 → 分管领导');
    await page.getByLabel('审签提醒（天）').fill('3');
    await page.getByRole('button', { name: '保存' }).click();
    await contains(page.getByRole('status'), '已保存单位');
    const saved = await db.selectFrom('units').select('signoff_chain').where('id', '=', org.units.lead).executeTakeFirstOrThrow();
    expect(saved.signoff_chain).toEqual({ ordinary: ['liaison', 'leader'], remindAfter: { amount: 3, unit: 'calendar_days' } });
    await page.goto(`${api.server.url}/admin/units/${enc(org.units.lead)}`);
    expect(await page.getByLabel('审签流程：一般答复').inputValue()).toBe('处室审核 → 分管领导');
    await admin.audit('unit-chain-saved');
  });

  it("a pending extension shows the office's decision deadline on the unit's inbox and in the office's queues", async () => {
    const id = await d.assigned('sole');
    await d.ok('leadLiaison', id, 'requestExtension', { newDate: inMonths(4), reason: '需等待年度统计数据' });
    const liaison = await signIn('pp-liaison', org.users.leadLiaison!);
    await liaison.page.goto(`${api.server.url}/inbox`);
    await contains(liaison.page.locator('main'), '待交办单位审批，审批期限');
    await liaison.audit('inbox-pending-extension');
    const office = await signIn('pp-office', org.users.office!);
    await office.page.goto(`${api.server.url}/queues`);
    await contains(office.page.locator('#q-extend').locator('..'), '审批期限');
    await office.audit('queues-decision-deadline');
  });

  it("a reply waits at its chain's step, which the proposal's page names", async () => {
    const id = await d.assigned('sole');
    await d.ok('leadLiaison', id, 'recordConsultation', { date: '2026-02-03', way: 'face_to_face', participants: '提案者、承办处室', summary: '面商。' });
    await d.ok('leadLiaison', id, 'saveDraft', { body: '答复正文：已开展工作；下一步工作。', replyClass: 'A' });
    await d.ok('leadLiaison', id, 'submitForSignOff', {});
    const liaison = people.find((p) => p.label === 'pp-liaison')!;
    await liaison.page.goto(`${api.server.url}/proposals/${enc(id)}`);
    await contains(liaison.page.locator('main'), '第1步（共2步）：处室审核');
    await liaison.audit('proposal-chain-step');
  });

  it("a closed proposal shows each unit's 回头看 checkpoint with what it promised", async () => {
    await db.updateTable('units').set({ signoff_chain: null }).where('id', '=', org.units.lead).execute();
    const id = await d.assigned('sole');
    const promised = new Date(Date.now() + 8 * 3600_000 + 60 * 86_400_000).toISOString().slice(0, 10);
    await d.ok('leadLiaison', id, 'recordConsultation', { date: '2026-02-03', way: 'face_to_face', participants: '提案者、承办处室', summary: '面商。' });
    await d.ok('leadLiaison', id, 'saveDraft', {
      body: '答复正文：正在推进。',
      replyClass: 'B',
      promisedActions: '年内出台县域养老服务实施方案',
      followUpDate: promised,
    });
    await d.ok('leadLiaison', id, 'submitForSignOff', {});
    await d.ok('leadLeader', id, 'signOff', { decision: 'approve' });
    await d.stage(id, 'dispatched');
    await d.ok('proposer', id, 'rate', { attitude: 'satisfied', result: 'satisfied' });
    await d.ok('cosigner', id, 'rate', { attitude: 'satisfied', result: 'basically_satisfied' });
    await d.ok('office', id, 'close', {});
    await d.stage(id, 'closed');
    const office = people.find((p) => p.label === 'pp-office')!;
    await office.page.goto(`${api.server.url}/proposals/${enc(id)}`);
    await contains(office.page.locator('#follow-ups').locator('..'), '年内出台县域养老服务实施方案');
    await contains(office.page.locator('main'), '尚未报告落实情况');
    await office.audit('proposal-follow-up');
  });

  it("the office's joint-proposal list opens", async () => {
    const office = people.find((p) => p.label === 'pp-office')!;
    await office.page.goto(`${api.server.url}/joint-drafts`);
    await contains(office.page.locator('h1'), '联名');
    await office.audit('joint-drafts');
  });

  it('found no serious or critical accessibility problem and no CSP violation on any page', () => {
    const visits = people.flatMap((p) => p.visits);
    writeFileSync(join(SCREENSHOTS, 'axe-report-process-pages.json'), JSON.stringify(visits, null, 2));
    expect(visits.length).toBeGreaterThan(5);
    expect(people.flatMap((p) => p.seriousViolations())).toEqual([]);
    expect(people.flatMap((p) => p.cspViolations)).toEqual([]);
  });
});
