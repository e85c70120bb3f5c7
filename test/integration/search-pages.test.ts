import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import type { Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';
import { contains, launchBrowser, Person } from '../browser/support/browser.js';

// The search page, the register page's similar list and the suggestion beside the assignment
// form, in Debian's Chromium: what a person sees, checked with axe, and a screenshot of each
// (SEARCH_SHOTS, default .tmp/screenshots/search) to look at.

const SHOTS = process.env.SEARCH_SHOTS ?? join(process.cwd(), '.tmp', 'screenshots', 'search');
const suite = useSuite();
let api: Api;
let org: Org;
let d: Driver;
let browser: Browser;
let office: Person;

const topic = '海岛渔村生态旅游';
const body =
  '一、基本情况：我省海岛渔村资源丰富。\n二、存在问题：海岛交通不便，渔村民宿缺乏规范，生态环境承载力有限。\n三、具体建议：完善海岛交通，规范渔家乐民宿，开展生态修复。';
let planted: string;

async function shot(person: Person, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await person.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  ({ api, org, d } = suite);
  planted = await d.filed({ title: `关于发展${topic}的建议`, body });
  await d.ok('office', planted, 'assign', { mode: 'lead', units: [org.units.co2, org.units.co1] });
  const other = await d.filed({ title: '关于加强海岛交通建设的建议', body: '海岛交通不便，建议增开航线，完善码头。' });
  await d.ok('office', other, 'assign', { mode: 'sole', units: [org.units.lead] });
  await d.reply(other);

  browser = await launchBrowser(api.server.url);
  office = await Person.open(browser, 'search-office');
  const { page } = office;
  await page.goto(`${api.server.url}/`);
  await page.getByLabel('用户名').fill(org.users.office!.username);
  await page.getByLabel('密码').fill(org.users.office!.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname !== '/' && url.pathname !== '/login');
}, 180_000);

afterAll(async () => {
  await office?.close();
  await browser?.close();
});

describe('pages', () => {
  it('the search page finds, marks and filters, from the navigation', async () => {
    const { page } = office;
    await page.getByRole('link', { name: '档案检索' }).click();
    await page.getByLabel('检索词').fill('渔村');
    await page.getByLabel('届次').selectOption(org.sessionCode);
    await page.getByRole('button', { name: '检索' }).click();
    await contains(page.locator('[role=status]'), '找到 1 件提案');
    expect(await page.locator('.search-hit mark').first().innerText()).toBe('渔村');
    expect(await page.locator('.search-hit h2 a').allInnerTexts()).toEqual([`关于发展${topic}的建议`]);
    expect(office.seriousViolations()).toEqual([]);
    await office.audit('search');
    expect(office.seriousViolations()).toEqual([]);
    await shot(office, 'search-page');
  });

  it('the register page lists the planted near-duplicate first, before anything is registered', async () => {
    const { page } = office;
    await page.goto(`${api.server.url}/proposals/new`);
    await page.getByLabel('提案标题').fill(`关于加快${topic}的建议`);
    await page.getByLabel('提案正文').fill(body.replace('我省', '全省'));
    await page.getByRole('button', { name: '查找相似提案' }).click();
    await contains(page.locator('#similar-heading'), '相似的已有提案');
    const first = page.locator('.similar tbody tr').first();
    expect(await first.locator('a').first().innerText()).toBe(`关于发展${topic}的建议`);
    expect(await first.locator('td').first().innerText()).toBe('100%');
    // What was typed is kept, and the suggestion names the unit that led the near-duplicate.
    expect(await page.getByLabel('提案标题').inputValue()).toBe(`关于加快${topic}的建议`);
    await contains(page.locator('.suggestion ol').first(), `浙江省经济和信息化厅${org.prefix}`);
    await office.audit('register-similar');
    expect(office.seriousViolations()).toEqual([]);
    await shot(office, 'register-similar');
  });

  it('a filed proposal’s page shows the similar proposals and the suggestion beside the assignment form', async () => {
    const pending = await d.filed({ title: `关于推进${topic}高质量发展的建议`, body: body.replace('我省', '本省') });
    const { page } = office;
    await page.goto(`${api.server.url}/proposals/${encodeURIComponent(pending)}`);
    await contains(page.locator('.similar tbody tr').first(), `关于发展${topic}的建议`);
    await contains(page.locator('.suggestion'), '建议主办单位');
    await contains(page.locator('.suggestion ol').first(), `浙江省经济和信息化厅${org.prefix}`);
    await office.audit('proposal-suggestion');
    expect(office.seriousViolations()).toEqual([]);
    await shot(office, 'proposal-suggestion');
  });
});
