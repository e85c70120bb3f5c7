import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { PageEnv } from '../../../../../../client/http/middleware/session.js';
import type { BatchJob } from '../../../../../../client/http/pages/office/assign-batch.js';
import { BatchPage } from '../../../../../../client/http/pages/office/assign-result.js';
import { render } from '../../../../../../client/http/pages/render.js';

// A 交办 batch's page in both of its states: running (progress, and a page that reloads itself
// without script) and done (every proposal with its result, no reloading).

async function page(job: BatchJob): Promise<string> {
  const app = new Hono<PageEnv>();
  app.get('/batch', (c) => {
    c.set('csrf', 'token-for-the-test-page');
    c.set('session', null);
    return render(c, BatchPage({ c, pd: { mailViewer: false }, job }));
  });
  return (await app.request('/batch')).text();
}

const base: BatchJob = { id: 'page-1-abc', userId: 1, total: 3, done: 1, startedAt: 0, finishedAt: null, results: [], failure: null };

describe('the batch page', () => {
  it('while running: how far, a progress bar, and a meta refresh (no script)', async () => {
    const html = await page(base);
    expect(html).toMatch(/<meta http-equiv="refresh" content="3"\/?>/);
    expect(html).toContain('已处理 1 / 3 件');
    expect(html).toMatch(/<progress[^>]*max="3"[^>]*value="1"/);
    expect(html).not.toContain('<script>');
  });

  it('when done: each proposal with 已交办 or the reason it was refused, and no refresh', async () => {
    const html = await page({
      ...base,
      done: 2,
      total: 2,
      finishedAt: 1,
      results: [
        { workflowId: 'proposal:s:R1', title: '关于甲的建议', status: 'assigned', stage: 'handling' },
        { workflowId: 'proposal:s:R2', title: '关于乙的建议', status: 'refused', message: '提案已交办，不能再次交办' },
      ],
    });
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain('共2件：已交办1件，未交办1件');
    expect(html).toContain('未交办：提案已交办，不能再次交办');
    expect(html).toContain('href="/proposals/proposal%3As%3AR1"');
  });
});
