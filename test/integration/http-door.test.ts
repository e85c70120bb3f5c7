import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../db/repositories/blobs.js';
import type { Db } from '../../db/connection.js';
import { uniq, type Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';

// The HTTP door refuses what must not reach a workflow or the database (issue 9): each class of
// bad input answers 4xx with a typed body and writes nothing.

const suite = useSuite();
let db: Db;
let api: Api;
let org: Org;
let d: Driver;
let handling: string;
beforeAll(async () => {
  ({ db, api, org, d } = suite);
  handling = await d.assigned('sole');
});

/** A request with a raw body and exact headers (the Api helper always sends JSON). */
async function raw(method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string>) {
  const res = await fetch(`${api.server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies field by field
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

const bearer = (who: string) => ({ authorization: `Bearer ${d.tokens[who]!}` });
const blobExists = async (content: string) => !!(await db.selectFrom('text_blobs').select('hash').where('hash', '=', sha256(content)).executeTakeFirst());
const eventCount = async (id: string) =>
  Number(
    (
      await db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('workflow_id', '=', id)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('text the database cannot store', () => {
  it('answers 422, not 500, for a NUL byte in query parameters, path ids, sessionCode and login username', async () => {
    for (const path of [
      '/api/proposals?session=%00',
      '/api/proposals?stage=handling%00',
      `/api/proposals/${enc(handling)}%00`,
      '/api/proposals/%00/events',
      '/api/proposals/%00/actions/withdraw',
      '/api/worklists/overdue?unit=a%00b',
      '/api/workflow-id?session=%00&receipt=R1',
    ]) {
      const res = await api.call(d.tokens.office!, path.includes('actions') ? 'POST' : 'GET', path, path.includes('actions') ? { reason: 'x' } : undefined);
      expect(res.status, path).toBe(422);
      expect(res.json.error, path).toBe('INVALID_INPUT');
    }
    const nul = await api.call(null, 'POST', '/api/login', { username: 'office\u0000', password: 'x' });
    expect(nul.status).toBe(422);
    expect(nul.json.field).toBe('username');
    const register = await api.call(d.tokens.office!, 'POST', '/api/proposals', { ...jointBody(), sessionCode: `${org.sessionCode}\u0000` });
    expect(register.status).toBe(422);
    expect(register.json.field).toBe('sessionCode');
  });

  it('answers 422, not 500, for lone surrogates in JSON strings, and never 5xx for one encoded in a URL', async () => {
    const login = await api.call(null, 'POST', '/api/login', { username: 'a\ud800b', password: 'x' });
    expect(login.status).toBe(422);
    expect(login.json.field).toBe('username');
    const register = await api.call(d.tokens.office!, 'POST', '/api/proposals', { ...jointBody(), sessionCode: '\udc00届次' });
    expect(register.status).toBe(422);
    expect(register.json.field).toBe('sessionCode');
    const action = await d.act('leadLiaison', handling, 'recordNoConsultation', { reason: '原因\ud83d' });
    expect(action.status).toBe(422);
    expect(action.json.field).toBe('reason');
    // %ED%A0%80 is a surrogate in (invalid) UTF-8: it does not decode, so it reaches no query as one.
    for (const path of ['/api/proposals?session=%ED%A0%80', '/api/proposals/%ED%A0%80', '/api/proposals/%ED%A0%80/events']) {
      const res = await api.call(d.tokens.office!, 'GET', path);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});

function jointBody() {
  return {
    sessionCode: org.sessionCode,
    receiptNo: uniq('R'),
    title: '关于加快推进数字经济高质量发展的建议',
    body: '一、基本情况：我省数字经济规模持续扩大。二、具体建议：加大研发投入。',
    proposerKind: 'individual',
    proposers: [{ kind: 'member', name: `张永庆${org.prefix}`, email: org.proposerEmails.first }],
  };
}

describe('numbers and names from the URL', () => {
  it('parses limit and offset as bounded integers: -1, 1.5, 0 and words are named mistakes', async () => {
    for (const [query, field] of [
      ['limit=-1', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['offset=1.5', 'offset'],
      ['offset=-3', 'offset'],
    ] as const) {
      const res = await api.call(d.tokens.office!, 'GET', `/api/proposals?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.json.field, query).toBe(field);
    }
    const ok = await api.call(d.tokens.office!, 'GET', `/api/proposals?limit=2&offset=0&session=${enc(org.sessionCode)}`);
    expect(ok.status).toBe(200);
    expect(ok.json.items.length).toBeLessThanOrEqual(2);
    const days = await api.call(d.tokens.office!, 'GET', '/api/worklists/due-soon?days=1.5');
    expect(days.status).toBe(422);
    expect(days.json.field).toBe('days');
  });

  it('knows only the actions in the table: constructor, __proto__ and friends are 404', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'register', 'dispatch']) {
      const res = await d.act('office', handling, name, {});
      expect(res.status, name).toBe(404);
      expect(res.json.error, name).toBe('NOT_FOUND');
      expect(res.json.message, name).toContain('这个操作');
    }
  });
});

describe('bodies', () => {
  it('refuses a 5,000-deep (and a 65-deep) JSON body with 422, at once', async () => {
    for (const depth of [5_000, 65]) {
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const started = Date.now();
      // Each as a caller the route admits: a role it refuses is answered 403 before its body is read.
      for (const [path, who] of [
        [`/api/proposals/${enc(handling)}/actions/recordNoConsultation`, 'leadLiaison'],
        ['/api/proposals', 'office'],
        ['/api/login', 'leadLiaison'],
      ] as const) {
        const res = await raw('POST', path, `{"reason":${deep}}`, { ...bearer(who), 'content-type': 'application/json' });
        expect(res.status, `${depth} ${path}`).toBe(422);
        expect(res.json.message).toContain('嵌套过深');
      }
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('refuses a 10 MB body with 413 without reading it, with or without Content-Length, and stores nothing', async () => {
    const filler = `答复${uniq('big')}`.padEnd(10 * 1024 * 1024, '长');
    const body = JSON.stringify({ body: filler, replyClass: 'A' });
    for (const path of [`/api/proposals/${enc(handling)}/actions/saveDraft`, '/api/proposals/batch']) {
      const started = Date.now();
      const res = await raw('POST', path, body, { ...bearer('leadLiaison'), 'content-type': 'application/json' });
      expect(res.status, path).toBe(413);
      expect(res.json).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
      expect(res.json.message).toContain('请求内容太大');
      expect(Date.now() - started, path).toBeLessThan(3_000);
    }
    const chunked = await new Promise<{ status: number; text: string; ms: number }>((resolve, reject) => {
      const started = Date.now();
      const req = request(`${api.server.url}/api/proposals/${enc(handling)}/actions/saveDraft`, {
        method: 'POST',
        headers: { ...bearer('leadLiaison'), 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: Date.now() - started }));
      });
      // The server may close before the whole body is sent: that is the point.
      req.on('error', (err) => (err.message.includes('EPIPE') || err.message.includes('ECONNRESET') ? undefined : reject(err)));
      const buffer = Buffer.from(body);
      let offset = 0;
      const pump = () => {
        while (offset < buffer.length) {
          const more = req.write(buffer.subarray(offset, offset + 64 * 1024));
          offset += 64 * 1024;
          if (!more) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.text).error).toBe('PAYLOAD_TOO_LARGE');
    expect(await blobExists(filler)).toBe(false);
  });

  it('answers 415 for a body that is not application/json, and accepts a charset', async () => {
    const path = `/api/proposals/${enc(handling)}/actions/recordNoConsultation`;
    const form = await raw('POST', path, 'reason=x', { ...bearer('leadLiaison'), 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.json).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(form.json.message).toContain('application/json');
    const none = await raw('POST', '/api/login', '{"username":"a","password":"b"}', {});
    expect(none.status).toBe(415);
    const charset = await raw('POST', '/api/login', JSON.stringify({ username: 'nobody', password: 'x' }), { 'content-type': 'application/json; charset=utf-8' });
    expect(charset.status).toBe(401);
  });

  it('refuses unknown fields (and a client-supplied hash) by name, before any text is stored', async () => {
    const text = `答复${uniq('unknown')}：已开展工作。`;
    const extra = await d.act('leadLiaison', handling, 'saveDraft', { body: text, replyClass: 'A', urgent: true, note2: 'x' });
    expect(extra.status).toBe(422);
    expect(extra.json.message).toContain('urgent');
    expect(extra.json.message).toContain('note2');
    const hash = await d.act('leadLiaison', handling, 'saveDraft', { bodyHash: sha256(text), replyClass: 'A' });
    expect(hash.status).toBe(422);
    expect(hash.json.message).toContain('bodyHash');
    const refusedRole = await d.act('proposer', handling, 'saveDraft', { body: text, replyClass: 'A' });
    expect(refusedRole.status).toBe(403);
    expect(refusedRole.json.error).toBe('FORBIDDEN_ROLE');
    expect(await blobExists(text)).toBe(false);
  });
});

describe('idempotency keys', () => {
  it('refuses a malformed key with 422 and does nothing', async () => {
    const before = await eventCount(handling);
    for (const key of ['short', 'has a space in it', 'x'.repeat(201), 'percent%20key', 'semi;colon;key']) {
      const res = await api.call(
        d.tokens.leadLiaison!,
        'POST',
        `/api/proposals/${enc(handling)}/actions/recordNoConsultation`,
        { reason: '委员出差' },
        { 'idempotency-key': key },
      );
      expect(res.status, key).toBe(422);
      expect(res.json.field).toBe('Idempotency-Key');
    }
    expect(await eventCount(handling)).toBe(before);
  });

  it('answers a repeat with the first result, and refuses the same key with another payload, naming the conflict', async () => {
    const id = await d.assigned('sole');
    const key = uniq('consult-');
    const body = { date: '2026-02-03', way: 'phone', participants: '张委员', summary: `电话沟通${key}` };
    const first = await d.act('leadLiaison', id, 'recordConsultation', body, key);
    expect(first.status).toBe(200);
    const again = await d.act('leadLiaison', id, 'recordConsultation', { ...body }, key);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    const other = await d.act('leadLiaison', id, 'recordConsultation', { ...body, summary: `另一次沟通${key}` }, key);
    expect(other.status).toBe(422);
    expect(other.json.field).toBe('Idempotency-Key');
    expect(other.json.message).toContain(key);
    expect(other.json.message).toContain('内容不同');
    // A different action under the same key is a conflict too.
    const otherAction = await d.act('leadLiaison', id, 'recordNoConsultation', { reason: '委员出差' }, key);
    expect(otherAction.status).toBe(422);
    const consultations = await db.selectFrom('consultations').select('id').where('workflow_id', '=', id).execute();
    expect(consultations).toHaveLength(1);
    expect(await blobExists(`另一次沟通${key}`)).toBe(false);
  });
});

describe('texts of a refused action', () => {
  it('are taken back when the workflow refuses the action; a text something else uses stays', async () => {
    const id = await d.assigned('sole');
    // The schema takes any short class name; the workflow's check knows the policy's A/B/C.
    const draft = `答复正文${uniq('')}：拒绝之后不应留下。`;
    const refused = await d.act('leadLiaison', id, 'saveDraft', { body: draft, replyClass: 'Z' });
    expect(refused.status).toBe(422);
    expect(refused.json.field).toBe('replyClass');
    expect(await blobExists(draft)).toBe(false);
    // A text already stored (here: the proposal's own body) is never taken back by a refusal.
    const proposal = await db.selectFrom('proposals').select('body_hash').where('workflow_id', '=', id).executeTakeFirstOrThrow();
    const body = await db.selectFrom('text_blobs').select('content').where('hash', '=', proposal.body_hash).executeTakeFirstOrThrow();
    expect((await d.act('leadLiaison', id, 'saveDraft', { body: body.content, replyClass: 'Z' })).status).toBe(422);
    expect(await blobExists(body.content)).toBe(true);
  });
});
