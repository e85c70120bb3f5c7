import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProposalSheet } from '../../client/io/proposal-sheet.js';
import { remitMatches } from '../../client/read/search/for-proposal.js';
import { getStylePatches } from '../../db/repositories/letter-settings.js';
import type { Db } from '../../db/connection.js';
import { activePolicy, publishPolicy } from '../../db/repositories/reference.js';
import { seedAdmin, seedOrg, testDb, uniq, type Org } from '../support/context.js';
import { enc, startApi, type Api } from '../support/http.js';
import { workbookOf, type SheetRows } from '../support/xlsx.js';
import { contains, DESKTOP, hasText, launchBrowser, Person, PHONE, SCREENSHOTS, stopAfterFirstFailure, visible } from './support/browser.js';

// The office's and the administrator's pages in a real Chromium against the real stack: the
// office imports a session's 登记表 (a bad row refused in the preview with nothing written, then
// the fixed file imported), the committee files the proposals, the office assigns them in one
// batch and reads its queues; the administrator keeps units, the calendar and the policy.
// axe-core audits every page; screenshots go to .tmp/screenshots/.

let db: Db;
let api: Api;
let org: Org;
let browser: Browser;
const people: Person[] = [];
const ADMIN_PASSWORD = 'admin-password-456';
const receipts = [uniq('I'), uniq('I')];
const titles = receipts.map((r, i) => `关于推进${r}第${i + 1}项改革的建议`);
let workflowIds: string[] = [];

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

function sheet(proposers: [string, string]): SheetRows {
  return receipts.map((receiptNo, i) => ({
    登记号: receiptNo,
    标题: titles[i]!,
    正文: '一、基本情况：……\n二、存在问题：……\n三、具体建议：完善机制，加大投入。',
    提案类型: i === 0 ? '个人' : '联名',
    提案者: proposers[i]!,
    界别: '经济界',
    邮箱: i === 0 ? org.proposerEmails.first : `${org.proposerEmails.first}、${org.proposerEmails.cosigner}`,
    收到日期: new Date(Date.UTC(2026, 0, 20 + i)),
    类别: '经济',
  }));
}

const registered = async () => (await db.selectFrom('proposals').select('workflow_id').where('receipt_no', 'in', receipts).execute()).length;

beforeAll(async () => {
  db = testDb();
  api = await startApi(db);
  org = await seedOrg(db);
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

describe('the office and the administrator, in a browser', () => {
  it('the office previews a 登记表 with a bad row (nothing written), fixes it and imports both proposals', async () => {
    const office = await signIn('oa-office', org.users.office!);
    const { page } = office;
    await page.getByRole('link', { name: '导入提案' }).click();
    await hasText(page.getByRole('heading', { level: 1 }), '导入提案');
    await office.audit('import');

    // No file chosen: the summary leads to the file field.
    await page.getByLabel('届次').selectOption(org.sessionCode);
    await page.getByRole('button', { name: '预览（不会登记）' }).click();
    await contains(page.getByRole('alert'), '请选择要导入的 .xlsx 文件');
    expect(await page.getByRole('alert').getByRole('link').first().getAttribute('href')).toBe('#import-file');
    await office.audit('import-no-file');

    // A joint proposal with one proposer: its row and column named, nothing registered.
    const bad = await workbookOf(sheet([`张永庆${org.prefix}`, `张永庆${org.prefix}`]));
    const badPath = join(SCREENSHOTS, `${org.prefix}-bad.xlsx`);
    writeFileSync(badPath, bad);
    await page.getByLabel('届次').selectOption(org.sessionCode);
    await page.getByLabel('登记表文件（.xlsx）').setInputFiles(badPath);
    await page.getByRole('button', { name: '预览（不会登记）' }).click();
    const summary = page.getByRole('alert');
    await contains(summary, '没有登记任何提案');
    await contains(summary, '第3行「提案者」');
    await visible(page.getByRole('heading', { name: '需要修改的行' }));
    expect(await page.getByRole('button', { name: /确认导入/ }).count()).toBe(0);
    await office.audit('import-preview-errors');
    expect(await registered()).toBe(0);

    const good = await workbookOf(sheet([`张永庆${org.prefix}`, `张永庆${org.prefix}、李明${org.prefix}`]));
    const goodPath = join(SCREENSHOTS, `${org.prefix}-good.xlsx`);
    writeFileSync(goodPath, good);
    await page.getByLabel('届次').selectOption(org.sessionCode);
    await page.getByLabel('登记表文件（.xlsx）').setInputFiles(goodPath);
    await page.getByRole('button', { name: '预览（不会登记）' }).click();
    await contains(page.getByRole('main'), '全部2行检查无误');
    await office.audit('import-preview-ok');
    expect(await registered()).toBe(0);

    await page.getByRole('button', { name: '确认导入2件提案' }).click();
    await contains(page.getByRole('status'), '新登记2件');
    await office.audit('import-result');
    expect(await registered()).toBe(2);
    await page.getByRole('link', { name: titles[1]! }).click();
    await hasText(page.getByRole('heading', { level: 1 }), titles[1]!);
    // In the order of `receipts` (and `titles`).
    const rows = await db.selectFrom('proposals').select(['workflow_id', 'receipt_no']).where('receipt_no', 'in', receipts).execute();
    workflowIds = receipts.map((r) => rows.find((x) => x.receipt_no === r)!.workflow_id);
  });

  it('the template sheet downloads and reads back as a 登记表', async () => {
    const office = people.find((p) => p.label === 'oa-office')!;
    await office.page.getByRole('link', { name: '导入提案' }).click();
    const [download] = await Promise.all([office.page.waitForEvent('download'), office.page.getByRole('link', { name: /下载登记表模板/ }).click()]);
    expect(download.suggestedFilename()).toBe('提案登记表模板.xlsx');
    // The importer's own reader takes the template as it is: every column known, both examples valid.
    const read = await readProposalSheet(readFileSync(await download.path()), org.sessionCode);
    expect(read.errors).toEqual([]);
    expect(read.ignoredColumns).toEqual([]);
    expect(read.rows.map((r) => r.value.proposerKind)).toEqual(['individual', 'joint']);
  });

  it('the committee files the imported proposals', async () => {
    const token = await api.login(org.users.committee!.username, org.users.committee!.password);
    for (const id of workflowIds) {
      const res = await api.call(token, 'POST', `/api/proposals/${enc(id)}/actions/file`, { outcome: 'filed' });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    }
  });

  it('the office assigns both in one batch: refused by each workflow first (shown per proposal, nothing changed), then done', async () => {
    const office = people.find((p) => p.label === 'oa-office')!;
    const { page } = office;
    await page.getByRole('link', { name: '批量交办' }).click();
    await hasText(page.getByRole('heading', { level: 1 }), '批量交办');
    await page.getByLabel('届次').selectOption(org.sessionCode);
    await page.getByRole('button', { name: '筛选' }).click();
    await office.audit('assign');

    // Nothing chosen: the form says so, nothing is sent.
    await page.getByRole('button', { name: '交办所选提案' }).click();
    await contains(page.getByRole('alert'), '请至少选择一件提案');
    await office.audit('assign-none-chosen');

    // 主办＋会办 without a co-unit: each proposal's workflow refuses, each row says why.
    for (const t of titles) await page.getByLabel(`选择：${t}`).check();
    await page.getByLabel('主办＋会办').check();
    await page.getByLabel('主办单位').selectOption(org.units.lead);
    await page.getByRole('button', { name: '交办所选提案' }).click();
    await hasText(page.getByRole('heading', { level: 1 }), '交办结果');
    await contains(page.getByRole('table'), '未交办：主办加会办至少需要一个主办单位和一个会办单位');
    expect(await page.getByText('未交办：').count()).toBe(2);
    await office.audit('assign-refused');
    const stages = async () => (await db.selectFrom('proposals').select('stage').where('workflow_id', 'in', workflowIds).execute()).map((r) => r.stage);
    expect(await stages()).toEqual(['filed', 'filed']);

    await page.getByRole('link', { name: '返回批量交办' }).click();
    await page.getByLabel('届次').selectOption(org.sessionCode);
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByRole('link', { name: '全部选中' }).click();
    for (const t of titles) expect(await page.getByLabel(`选择：${t}`).isChecked()).toBe(true);
    await page.getByLabel('主办＋会办').check();
    await page.getByLabel('主办单位').selectOption(org.units.lead);
    await page.getByRole('group', { name: '会办或分办单位' }).getByLabel(`浙江省科学技术厅${org.prefix}`).check();
    await page.getByRole('button', { name: '交办所选提案' }).click();
    await contains(page.getByRole('status'), '已交办2件');
    await office.audit('assign-done');
    expect(await stages()).toEqual(['handling', 'handling']);
    const tasks = await db.selectFrom('unit_tasks').select(['unit_id', 'role']).where('workflow_id', 'in', workflowIds).orderBy('role').execute();
    expect(tasks.filter((t) => t.role === 'lead').map((t) => t.unit_id)).toEqual([org.units.lead, org.units.lead]);
    expect(tasks.filter((t) => t.role === 'co').map((t) => t.unit_id)).toEqual([org.units.co1, org.units.co1]);
  });

  it('a unit asks for more time; the office finds it in its queues and reaches the decision form', async () => {
    const liaison = await api.login(org.users.leadLiaison!.username, org.users.leadLiaison!.password);
    const task = await db
      .selectFrom('unit_tasks')
      .select('due_at')
      .where('workflow_id', '=', workflowIds[0]!)
      .where('unit_id', '=', org.units.lead)
      .executeTakeFirstOrThrow();
    const newDate = new Date(new Date(task.due_at!).getTime() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    const asked = await api.call(liaison, 'POST', `/api/proposals/${enc(workflowIds[0]!)}/actions/requestExtension`, { newDate, reason: '需要实地调研' });
    expect(asked.status, JSON.stringify(asked.json)).toBe(200);

    const office = people.find((p) => p.label === 'oa-office')!;
    const { page } = office;
    await page.getByRole('link', { name: '待办队列' }).click();
    await hasText(page.getByRole('heading', { level: 1 }), '待办队列');
    const extensions = page.getByRole('region', { name: /延期申请/ });
    await contains(extensions, '需要实地调研');
    await contains(page.getByRole('region', { name: /调整申请/ }), '没有待审批的调整申请');
    await office.audit('queues');
    // On a phone: one column, tables as cards, nothing wider than the screen.
    await page.setViewportSize(PHONE);
    await office.audit('queues-phone');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await page.getByRole('link', { name: '批量交办' }).click();
    await office.audit('assign-phone');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await page.getByRole('link', { name: '导入提案' }).click();
    await office.audit('import-phone');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
    await page.getByRole('link', { name: '待办队列' }).click();
    await extensions.getByRole('link', { name: titles[0]! }).click();
    await hasText(page.getByRole('heading', { level: 1 }), titles[0]!);
    await visible(page.getByText('审批延期申请').first());
  });

  it('the liaison compares two versions of its reply draft; another unit cannot open the comparison', async () => {
    const token = await api.login(org.users.leadLiaison!.username, org.users.leadLiaison!.password);
    const id = workflowIds[1]!;
    for (const body of [
      '一、已开展工作：推进千兆网络进村。\n二、下一步工作：培育农村电商人才。',
      '一、已开展工作：加快推进千兆网络进村。\n二、下一步工作：培养农村电商人才。',
    ]) {
      const saved = await api.call(token, 'POST', `/api/proposals/${enc(id)}/actions/saveDraft`, { body, replyClass: 'A' });
      expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    }
    const liaison = await signIn('oa-liaison', org.users.leadLiaison!);
    const { page } = liaison;
    await page.getByRole('link', { name: titles[1]! }).first().click();
    await page.getByRole('link', { name: '比较答复稿修改：第2版与第1版' }).click();
    await hasText(page.getByRole('heading', { level: 1 }), '答复稿修改对照');
    await contains(page.locator('.diff-legend'), '新增3字');
    // Screen readers hear where each change starts and ends; the eye sees the marking.
    expect(await page.locator('.diff-text ins').allTextContents()).toEqual(['［新增：加快］', '［新增：养］']);
    expect(await page.locator('.diff-text del').allTextContents()).toEqual(['［删除：育］']);
    await liaison.audit('version-diff');

    const other = await Person.open(browser, 'oa-other');
    people.push(other);
    await other.page.goto(api.server.url + '/');
    await other.page.getByLabel('用户名').fill(org.users.otherLiaison!.username);
    await other.page.getByLabel('密码').fill(org.users.otherLiaison!.password);
    await other.page.getByRole('button', { name: '登录' }).click();
    await other.page.waitForURL((url) => url.pathname === '/inbox');
    const res = await other.page.goto(`${api.server.url}/proposals/${enc(id)}/versions`);
    expect(res!.status()).toBe(404);
    expect(await other.page.locator('.diff-text').count()).toBe(0);
  });

  it('the administrator adds a unit (refused with a bad email first) and edits its contact', async () => {
    const admin = await signIn('oa-admin', { username: `${org.prefix}-admin`, password: ADMIN_PASSWORD });
    const { page } = admin;
    await page.getByRole('link', { name: '单位', exact: true }).click();
    await hasText(page.getByRole('heading', { level: 1 }), '承办单位');
    await admin.audit('units');
    const unitId = `${org.prefix}-wlt`;
    const form = page.getByRole('form', { name: '新建单位' });
    await form.getByLabel('单位编号').fill(unitId);
    await form.getByLabel('单位全称').fill(`浙江省文化广电和旅游厅${org.prefix}`);
    await form.getByLabel('简称').fill('省文化和旅游厅');
    await form.getByLabel('文号前缀').fill('浙文旅');
    await form.getByLabel('单位邮箱').fill('not-an-email');
    await form.getByLabel('分管领导邮箱').fill(`${unitId}-leader@units.test`);
    await form.getByRole('button', { name: '新建单位' }).click();
    await contains(page.getByRole('alert'), '单位邮箱格式不正确');
    expect(await page.getByRole('alert').getByRole('link').first().getAttribute('href')).toBe('#unit-email');
    await admin.audit('unit-refused');
    expect(await db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst()).toBeUndefined();
    // What was typed is kept; only the wrong field needs fixing.
    expect(await form.getByLabel('文号前缀').inputValue()).toBe('浙文旅');
    await form.getByLabel('单位邮箱').fill(`${unitId}@units.test`);
    await form.getByRole('button', { name: '新建单位' }).click();
    await contains(page.getByRole('status'), '已新建单位');
    await page.getByRole('link', { name: new RegExp(`^修改\\s*浙江省文化广电和旅游厅${org.prefix}$`) }).click();
    await admin.audit('unit-edit');
    await page.getByLabel('联系电话').fill('0571-88888888');
    await page.getByLabel('职责').fill('文化 旅游 文物保护 非物质文化遗产 公共文化服务');
    await page.getByRole('button', { name: '保存' }).click();
    await contains(page.getByRole('status'), '已保存单位');
    const saved = await db.selectFrom('units').selectAll().where('id', '=', unitId).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ email: `${unitId}@units.test`, doc_prefix: '浙文旅', contact_phone: '0571-88888888' });
    // The remit is kept with its index: 智能分办 finds the unit by its words.
    expect(saved.remit).toBe('文化 旅游 文物保护 非物质文化遗产 公共文化服务');
    expect(await remitMatches(db, { title: '关于加强非物质文化遗产保护的建议', body: '' })).toEqual(
      expect.arrayContaining([expect.objectContaining({ unitId, words: expect.arrayContaining(['文化遗产', '保护']) })]),
    );

    // Its letter's wording, as data: previewed, refused while broken (nothing saved), then saved.
    await page.getByRole('link', { name: new RegExp(`^修改\\s*浙江省文化广电和旅游厅${org.prefix}$`) }).click();
    await page.getByRole('link', { name: '本单位的答复函格式' }).click();
    await hasText(page.getByRole('heading', { level: 1 }), `答复函格式：浙江省文化广电和旅游厅${org.prefix}`);
    const letter = page.getByRole('article', { name: '答复函预览' });
    await contains(letter, '浙文旅提〔');
    const unitStyle = page.getByLabel(`浙江省文化广电和旅游厅${org.prefix}的格式（JSON）`);
    await unitStyle.fill('{"closing": {"reply": "专此答复。"}');
    await page.getByRole('button', { name: '保存' }).click();
    await contains(page.getByRole('alert'), '不是有效的 JSON');
    await admin.audit('letter-style-refused');
    expect((await getStylePatches(db, unitId)).unit).toBeNull();
    await unitStyle.fill('{"closing": {"reply": "专此答复。"}}');
    await page.getByRole('button', { name: '预览' }).click();
    await contains(page.getByRole('article', { name: '答复函预览' }), '专此答复。');
    expect((await getStylePatches(db, unitId)).unit).toBeNull();
    await page.getByRole('button', { name: '保存' }).click();
    await contains(page.getByRole('status'), '已保存');
    await admin.audit('letter-style-saved');
    expect((await getStylePatches(db, unitId)).unit).toMatchObject({ closing: { reply: '专此答复。' } });
  });

  it('the administrator sees an unloaded year as 日历未确认, is refused a bad CSV line, previews and saves the year', async () => {
    const admin = people.find((p) => p.label === 'oa-admin')!;
    const { page } = admin;
    const year = 2098;
    await db.deleteFrom('calendar_days').where('year', '=', year).execute();
    await db.deleteFrom('calendar_years').where('year', '=', year).execute();
    await page.getByRole('link', { name: '节假日' }).click();
    await page.getByLabel('年份', { exact: true }).fill(String(year));
    await page.getByRole('button', { name: '查看' }).click();
    await hasText(page.getByRole('heading', { level: 1 }), `${year}年节假日与调休`);
    await contains(page.getByRole('main'), '日历未确认');
    await admin.audit('calendar-unconfirmed');

    await page.getByLabel('CSV 内容').fill(`date,kind,name\n${year}-10-01,holiday,国庆节\n${year}-10-32,holiday,国庆节`);
    await page.getByRole('button', { name: '预览变化' }).click();
    await contains(page.getByRole('alert'), '第3行');
    await admin.audit('calendar-refused');
    expect(await db.selectFrom('calendar_years').select('year').where('year', '=', year).executeTakeFirst()).toBeUndefined();

    await page.getByLabel('CSV 内容').fill(`date,kind,name\n${year}-10-01,holiday,国庆节\n${year}-10-09,makeup_workday,国庆节调休`);
    await page.getByRole('button', { name: '预览变化' }).click();
    await contains(page.getByRole('region', { name: /预览/ }), '新增2天');
    await admin.audit('calendar-preview');
    expect(await db.selectFrom('calendar_years').select('year').where('year', '=', year).executeTakeFirst()).toBeUndefined();
    await page.getByRole('button', { name: `确认保存${year}年安排` }).click();
    await contains(page.getByRole('status'), `已保存${year}年安排（2天）`);
    expect(await page.getByText('日历未确认').count()).toBe(0);
    await admin.audit('calendar-saved');
    const days = await db.selectFrom('calendar_days').select(['date', 'kind']).where('year', '=', year).orderBy('date').execute();
    expect(days).toEqual([
      { date: `${year}-10-01`, kind: 'holiday' },
      { date: `${year}-10-09`, kind: 'makeup_workday' },
    ]);
  });

  it('the administrator reads the active policy in Chinese, is refused a bad duration, then publishes a new version', async () => {
    const admin = people.find((p) => p.label === 'oa-admin')!;
    const { page } = admin;
    const before = await activePolicy(db);
    try {
      await page.getByRole('link', { name: '办理规则' }).click();
      await hasText(page.getByRole('heading', { level: 1 }), '办理规则');
      await contains(page.getByRole('main'), `${before!.body.durations.reply.label}`);
      await admin.audit('policies');

      await page.getByLabel('重新办理期限：时长').fill('三个月');
      await page.getByRole('button', { name: '发布新版本' }).click();
      await contains(page.getByRole('alert'), '重新办理期限的时长必须是整数');
      await admin.audit('policy-refused');
      expect((await activePolicy(db))!.version).toBe(before!.version);

      await page.getByLabel('重新办理期限：时长').fill('2');
      await page.getByLabel('重新办理期限：单位').selectOption('calendar_months');
      await page.getByLabel('规则名称').fill(`测试规则${org.prefix}`);
      await page.getByRole('button', { name: '发布新版本' }).click();
      // Other test files publish policies in the same database: the new version is the next free number.
      await contains(page.getByRole('status'), '已发布第');
      await admin.audit('policy-published');
      const after = (await activePolicy(db))!;
      expect(after.version).toBeGreaterThan(before!.version);
      await contains(page.getByRole('status'), `已发布第${after.version}版`);
      expect(after.body.durations.rehandling).toMatchObject({ amount: 2, unit: 'calendar_months' });
      expect(after.body.name).toBe(`测试规则${org.prefix}`);
      expect({ ...after.body, name: before!.body.name, durations: { ...after.body.durations, rehandling: before!.body.durations.rehandling } }).toEqual(before!.body);
    } finally {
      // Other test files that run after this one start proposals under the active policy.
      await publishPolicy(db, before!.body.name, before!.body, null);
    }
  });

  it('found no serious or critical accessibility problem and no CSP violation on any page', () => {
    const visits = people.flatMap((p) => p.visits);
    writeFileSync(join(SCREENSHOTS, 'axe-report-office-admin.json'), JSON.stringify(visits, null, 2));
    expect(visits.length).toBeGreaterThan(15);
    expect(people.flatMap((p) => p.seriousViolations())).toEqual([]);
    expect(people.flatMap((p) => p.cspViolations)).toEqual([]);
  });
});
