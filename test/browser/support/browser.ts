import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterEach, beforeEach } from 'vitest';

// Debian's Chromium driven by playwright-core, for the journeys in test/browser. The network is
// closed: no component updates, no sync, no background requests. The feedback links in mail
// name the public address (http://banli.test in tests); the browser resolves that name to the
// test server, so a link from a caught mail is followed exactly as the proposer would.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), '.tmp', 'screenshots');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launchBrowser(serverUrl: string, publicHost = 'banli.test'): Promise<Browser> {
  const { host } = new URL(serverUrl);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--host-resolver-rules=MAP ${publicHost} ${host}`,
    ],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

export interface Visit {
  name: string;
  url: string;
  violations: AxeViolation[];
}

/**
 * One person's browser: a fresh context (no cookies) that records every page it audits, and
 * every Content-Security-Policy violation the console reports (there must be none: the pages
 * use no inline script or style).
 */
export class Person {
  readonly visits: Visit[] = [];
  readonly cspViolations: string[] = [];
  private shot = 0;

  private constructor(
    readonly label: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) this.cspViolations.push(`${page.url()}: ${msg.text()}`);
    });
  }

  static async open(browser: Browser, label: string, viewport = DESKTOP): Promise<Person> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    context.setDefaultTimeout(15_000);
    return new Person(label, context, await context.newPage());
  }

  /** axe-core on the page as it is now, and a full-page screenshot named after the step. */
  async audit(name: string): Promise<AxeViolation[]> {
    const { page } = this;
    await page.waitForLoadState('load');
    // Evaluated through the DevTools protocol, which the page's CSP does not govern: our CSP
    // (script-src 'self') stays on for the test, as it is for people.
    await page.evaluate(axeSource);
    // A string, not a function: this file is compiled without the DOM's types.
    const result = await page.evaluate<AxeViolation[]>(`(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
    })()`);
    this.visits.push({ name, url: page.url(), violations: result });
    mkdirSync(SCREENSHOTS, { recursive: true });
    this.shot += 1;
    await page.screenshot({ path: join(SCREENSHOTS, `${this.label}-${String(this.shot).padStart(2, '0')}-${name}.png`), fullPage: true });
    return result;
  }

  /** Serious and critical axe findings of every page this person saw. */
  seriousViolations(): string[] {
    return this.visits.flatMap((v) =>
      v.violations
        .filter((x) => x.impact === 'serious' || x.impact === 'critical')
        .map((x) => `${v.name} (${v.url}): ${x.id} ${x.impact} — ${x.help} @ ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    );
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** Waits until the first match shows text containing `text` (playwright-core has no expect of its own). */
export async function contains(locator: Locator, text: string, timeout = 15_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    const seen = await locator.first().innerText();
    if (seen.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`expected ${locator.toString()} to contain 「${text}」, saw 「${seen}」`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the first match's text is exactly `text` (trimmed). */
export async function hasText(locator: Locator, text: string, timeout = 15_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    const seen = (await locator.first().innerText()).trim();
    if (seen === text) return;
    if (Date.now() > deadline) throw new Error(`expected ${locator.toString()} to read 「${text}」, saw 「${seen}」`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function visible(locator: Locator, timeout = 15_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** For a journey of steps: once one fails, the steps after it are skipped, since they could not mean anything. */
export function stopAfterFirstFailure(): void {
  let broken = false;
  beforeEach((ctx) => {
    if (broken) ctx.skip();
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') broken = true;
  });
}
