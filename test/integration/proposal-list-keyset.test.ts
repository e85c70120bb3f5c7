import { describe, expect, it } from 'vitest';
import { useSuite } from '../support/suite.js';
import { enc } from '../support/http.js';

// GET /api/proposals pages by keyset: each page's `next` continues the list exactly where it
// stopped (newest first), a proposal registered meanwhile does not shift the pages, and a cursor
// the API did not make is refused with a message.

const suite = useSuite();

describe('the proposal list, page by page', () => {
  it('pages by next: every proposal once, in order; one registered meanwhile does not shift the pages', async () => {
    const { api, org, d } = suite;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await d.register());
    const list = (query: string) => api.call(d.tokens.office!, 'GET', `/api/proposals?session=${enc(org.sessionCode)}&limit=2${query}`);
    const first = await list('');
    expect(first.status).toBe(200);
    expect(first.json.items.map((p: { workflowId: string }) => p.workflowId)).toEqual([ids[4], ids[3]]);
    const later = await d.register();
    const second = await list(`&after=${enc(first.json.next)}`);
    const third = await list(`&after=${enc(second.json.next)}`);
    expect(second.json.items.map((p: { workflowId: string }) => p.workflowId)).toEqual([ids[2], ids[1]]);
    expect(third.json.items.map((p: { workflowId: string }) => p.workflowId)).toEqual([ids[0]]);
    expect(third.json.next).toBeNull();
    // The newcomer is at the top of a fresh first page.
    expect((await list('')).json.items[0].workflowId).toBe(later);
  });

  it('a cursor the API did not make, or one with an offset, is refused with a message', async () => {
    const { api, d } = suite;
    const bad = await api.call(d.tokens.office!, 'GET', `/api/proposals?after=${enc('not-a-cursor')}`);
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ error: 'INVALID_INPUT', field: 'after' });
    expect(bad.json.message).toContain('翻页标记');
    const forged = Buffer.from(JSON.stringify(["2026-01-01'; drop table proposals; --", 'x'])).toString('base64url');
    expect((await api.call(d.tokens.office!, 'GET', `/api/proposals?after=${forged}`)).status).toBe(422);
    const page = await api.call(d.tokens.office!, 'GET', '/api/proposals?limit=1');
    const both = await api.call(d.tokens.office!, 'GET', `/api/proposals?limit=1&offset=1&after=${enc(page.json.next)}`);
    expect(both.status).toBe(422);
    expect(both.json.field).toBe('offset');
  });
});
