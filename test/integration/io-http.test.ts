import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../client/http/auth.js';
import { XLSX_MIME } from '../../client/io/xlsx-cells.js';
import type { Db } from '../../db/connection.js';
import { uniq, type Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';
import { workbookOf, type SheetRows } from '../support/xlsx.js';

// Importing a session's 登记表 through HTTP: preview with per-row errors, all rows or none,
// idempotent per receipt, for the roles that register only; and the routes in the OpenAPI document.

const suite = useSuite();
let db: Db;
let api: Api;
let org: Org;
let d: Driver;
beforeAll(() => void ({ db, api, org, d } = suite));

const BODY = '一、基本情况：……\n二、存在问题：……\n三、具体建议：完善机制，加大投入。';

function rowsFor(org: Org, n: number): SheetRows {
  return Array.from({ length: n }, (_, i) => ({
    登记号: uniq('X'),
    标题: `关于推进第${i + 1}项改革的建议`,
    正文: BODY,
    提案类型: i % 2 === 0 ? '个人' : '联名',
    提案者: i % 2 === 0 ? `张永庆${org.prefix}` : `张永庆${org.prefix}、李明${org.prefix}`,
    界别: '经济界',
    邮箱: i % 2 === 0 ? org.proposerEmails.first : `${org.proposerEmails.first}、${org.proposerEmails.cosigner}`,
    收到日期: new Date(Date.UTC(2026, 0, 20 + i)),
    类别: '经济',
  }));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies field by field
type Answer = { status: number; json: any };

async function upload(who: string | null, bytes: Uint8Array, query: string, type = XLSX_MIME): Promise<Answer> {
  const res = await fetch(`${api.server.url}/api/imports/proposals?${query}`, {
    method: 'POST',
    headers: { 'content-type': type, ...(who ? { authorization: `Bearer ${d.tokens[who]}` } : {}) },
    body: bytes,
  });
  return { status: res.status, json: await res.json() };
}

async function uploadForm(who: string, bytes: Uint8Array, query: string): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: XLSX_MIME }), '登记表.xlsx');
  const res = await fetch(`${api.server.url}/api/imports/proposals?${query}`, { method: 'POST', headers: { authorization: `Bearer ${d.tokens[who]}` }, body: form });
  return { status: res.status, json: await res.json() };
}

const proposalCount = async (receipts?: string[]) => {
  let q = db.selectFrom('proposals').select('workflow_id').where('session_code', '=', org.sessionCode);
  if (receipts) q = q.where('receipt_no', 'in', receipts);
  return (await q.execute()).length;
};
const blobCount = async () =>
  Number(
    (
      await db
        .selectFrom('text_blobs')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('importing proposals from .xlsx over HTTP', () => {
  it('previews per row, refuses the whole file while any row is bad, and stores nothing', async () => {
    const rows = rowsFor(org, 3);
    const bad = [...rows, { ...rows[0]!, 登记号: uniq('X'), 提案类型: '联名' }, { ...rows[1]!, 登记号: uniq('X'), 邮箱: 'nobody' }];
    const bytes = await workbookOf(bad);
    const blobsBefore = await blobCount();

    const preview = await upload('office', bytes, `session=${enc(org.sessionCode)}`);
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ dryRun: true, ok: false, total: 5, valid: 3, sessionCode: org.sessionCode, sheet: '提案' });
    expect(preview.json.errors).toEqual([
      { row: 5, column: '提案者', field: 'proposers', message: '联名提案至少需要两名提案者（第一提案人和附议人）' },
      // One address for two proposers is the first proposer's: here it is not an address.
      { row: 6, column: '邮箱', field: 'proposers[0].email', message: '第1位提案者：邮箱格式不正确' },
    ]);
    expect(preview.json.rows[1]).toMatchObject({
      row: 3,
      receiptNo: rows[1]!['登记号'],
      proposers: [`张永庆${org.prefix}`, `李明${org.prefix}`],
      receivedDate: '2026-01-21',
      existing: false,
    });

    const refused = await upload('office', bytes, `session=${enc(org.sessionCode)}&dryRun=false`);
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ error: 'INVALID_INPUT', field: 'file' });
    expect(refused.json.message).toContain('未登记任何提案');
    expect(refused.json.issues[0]).toEqual({ field: '第5行 提案者', message: '联名提案至少需要两名提案者（第一提案人和附议人）' });
    expect(await proposalCount()).toBe(0);
    expect(await blobCount()).toBe(blobsBefore);
  });

  it('imports every row of a good file, and the same file again (as a form upload) creates nothing twice', async () => {
    const rows = rowsFor(org, 12);
    const receipts = rows.map((r) => r['登记号'] as string);
    const bytes = await workbookOf(rows);
    const done = await upload('office', bytes, `session=${enc(org.sessionCode)}&dryRun=false`);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    expect(done.json).toMatchObject({ dryRun: false, imported: true, ok: true, total: 12, created: 12, existing: 0, failed: 0 });
    expect(done.json.results[0]).toMatchObject({
      row: 2,
      receiptNo: receipts[0],
      status: 'created',
      stage: 'received',
      workflowId: `proposal:${org.sessionCode}:${receipts[0]}`,
    });
    expect(await proposalCount(receipts)).toBe(12);
    const stored = await db.selectFrom('proposals').selectAll().where('workflow_id', '=', done.json.results[1].workflowId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ title: '关于推进第2项改革的建议', proposer_kind: 'joint', received_date: '2026-01-21', topic: '经济' });

    const preview = await uploadForm('committee', bytes, `session=${enc(org.sessionCode)}`);
    expect(preview.json).toMatchObject({ ok: true, valid: 12 });
    expect(preview.json.rows.every((r: { existing: boolean }) => r.existing)).toBe(true);
    const again = await uploadForm('committee', bytes, `session=${enc(org.sessionCode)}&dryRun=false`);
    expect(again.json).toMatchObject({ created: 0, existing: 12, failed: 0 });
    const registers = await db
      .selectFrom('events')
      .select('workflow_id')
      .where('step', '=', 'register')
      .where(
        'workflow_id',
        'in',
        done.json.results.map((r: { workflowId: string }) => r.workflowId),
      )
      .execute();
    expect(registers).toHaveLength(12);

    // The same receipt with another title is what the workflow would refuse: said in the preview, nothing sent.
    const changed = await workbookOf([{ ...rows[0]!, 标题: '关于另一件完全不同事情的建议' }, ...rowsFor(org, 1)]);
    const conflict = await upload('office', changed, `session=${enc(org.sessionCode)}&dryRun=false`);
    expect(conflict.status).toBe(422);
    expect(conflict.json.preview.errors).toEqual([
      { row: 2, column: '登记号', field: 'receiptNo', message: expect.stringContaining('已登记过一件内容不同的提案：标题') },
    ]);
    expect(await proposalCount()).toBe(12);
  });

  it('lets only the registering roles import; an admin may preview; wrong bodies and sessions are named', async () => {
    const bytes = await workbookOf(rowsFor(org, 1));
    const q = `session=${enc(org.sessionCode)}`;
    expect((await upload('leadLiaison', bytes, q)).status).toBe(403);
    expect((await upload('proposer', bytes, `${q}&dryRun=false`)).status).toBe(403);
    expect((await upload(null, bytes, q)).status).toBe(401);
    const json = await api.call(d.tokens.office!, 'POST', `/api/imports/proposals?${q}`, { items: [] });
    expect(json.status).toBe(415);
    const garbage = await upload('office', new TextEncoder().encode('登记号,标题\nR1,关于'), q);
    expect(garbage).toMatchObject({ status: 422, json: { field: 'file' } });
    expect(garbage.json.message).toContain('不是有效的 .xlsx');
    const noSession = await upload('office', bytes, 'session=');
    expect(noSession).toMatchObject({ status: 422, json: { field: 'session' } });
    const unknown = await upload('office', bytes, `session=${enc(`不存在${uniq()}`)}`);
    expect(unknown).toMatchObject({ status: 422, json: { field: 'session' } });
    const admin = uniq('admin');
    await db
      .insertInto('users')
      .values({
        username: admin,
        display_name: '管理员',
        password_hash: await hashPassword('pw-admin-1'),
        role: 'admin',
        unit_id: null,
        proposer_id: null,
        email: null,
      })
      .execute();
    d.tokens.admin = await api.login(admin, 'pw-admin-1');
    expect(await upload('admin', bytes, q)).toMatchObject({ status: 200, json: { ok: true, valid: 1 } });
    const adminImport = await upload('admin', bytes, `${q}&dryRun=false`);
    expect(adminImport).toMatchObject({ status: 403, json: { error: 'FORBIDDEN_ROLE' } });
    const badDry = await upload('office', bytes, `${q}&dryRun=maybe`);
    expect(badDry).toMatchObject({ status: 422, json: { field: 'dryRun' } });
    expect(await proposalCount()).toBe(12);
  });

  it('takes a workbook past the 1 MB default (the batch limit applies) and refuses one past 8 MB with 413 before reading it', async () => {
    const q = `session=${enc(org.sessionCode)}`;
    // Not a workbook, but past the default limit: read, then refused as a file, not as too large.
    const big = await upload('office', new Uint8Array(1_500_000), q);
    expect(big).toMatchObject({ status: 422, json: { field: 'file' } });
    // On a connection of its own: the server answers before reading the body, then closes it.
    const huge = await new Promise<{ status: number; json: { error: string } }>((resolve, reject) => {
      const req = request(`${api.server.url}/api/imports/proposals?${q}`, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': XLSX_MIME, 'content-length': String(9 * 1024 * 1024), authorization: `Bearer ${d.tokens.office}` },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (b: Buffer) => (text += b.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) as { error: string } }));
      });
      req.on('error', reject);
      req.end(Buffer.alloc(9 * 1024 * 1024));
    });
    expect(huge).toMatchObject({ status: 413, json: { error: 'PAYLOAD_TOO_LARGE' } });
  });

  it('is in the OpenAPI document: the upload with its media types, the exports by kind', async () => {
    const doc = (await api.call(null, 'GET', '/api/openapi.json')).json;
    const imp = doc.paths['/api/imports/proposals'].post;
    expect(Object.keys(imp.requestBody.content)).toEqual([XLSX_MIME, 'multipart/form-data']);
    expect(imp.parameters.map((p: { name: string }) => p.name)).toEqual(['session', 'dryRun']);
    expect(Object.keys(imp.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '413', '415', '422']));
    const exp = doc.paths['/api/exports/{kind}.xlsx'].get;
    expect(exp.parameters.find((p: { name: string }) => p.name === 'kind').schema.enum).toEqual(['proposals', 'tasks', 'replies', 'overdue', 'due-soon']);
    expect(doc.paths['/api/exports/{file}']).toBeUndefined();
  });
});
