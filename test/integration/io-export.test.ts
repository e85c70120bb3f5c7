import { beforeAll, describe, expect, it } from 'vitest';
import { XLSX_MIME } from '../../client/io/xlsx-cells.js';
import type { Db } from '../../db/connection.js';
import { eventually, type Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { enc, type Api } from '../support/http.js';
import { useSuite } from '../support/suite.js';
import { readBack } from '../support/xlsx.js';

// Exports through HTTP, opened back with exceljs: what each role gets is what the visibility
// rule and its view give it, cell by cell, in Chinese, with dates as Excel dates.

const suite = useSuite();
let db: Db;
let api: Api;
let org: Org;
let d: Driver;
let shared: string; // lead + co1, with two reply versions from the lead
let co2Only: string;
let received: string;
beforeAll(async () => {
  ({ db, api, org, d } = suite);
  shared = await d.assigned('lead', [org.units.lead, org.units.co1]);
  co2Only = await d.assigned('sole', [org.units.co2]);
  received = await d.register();
  await d.ok('leadLiaison', shared, 'recordConsultation', { date: '2026-02-03', way: 'face_to_face', participants: '提案者、承办处室', summary: '面商。' });
  await d.ok('leadLiaison', shared, 'saveDraft', { body: '第一稿：已开展工作。', replyClass: 'A' });
  await d.ok('leadLiaison', shared, 'saveDraft', { body: '第二稿：已开展工作；下一步工作。', replyClass: 'A', changeNote: '补充下一步' });
}, 120_000);

async function download(who: string, path: string) {
  const res = await fetch(`${api.server.url}${path}`, { headers: { authorization: `Bearer ${d.tokens[who]}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(new TextDecoder().decode(bytes)) };
}

async function sheetOf(who: string, path: string) {
  const res = await download(who, path);
  expect(res.status, new TextDecoder().decode(res.bytes).slice(0, 300)).toBe(200);
  expect(res.headers.get('content-type')).toBe(XLSX_MIME);
  return { ...(await readBack(res.bytes)), headers_: res.headers };
}

const s = () => `session=${enc(org.sessionCode)}`;
const unitName = async (id: string) => (await db.selectFrom('units').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;

describe('exports as .xlsx', () => {
  it('gives the office every proposal of the session, cell by cell, with Chinese headers and real dates', async () => {
    const { sheet, headers, rows, headers_ } = await sheetOf('office', `/api/exports/proposals.xlsx?${s()}`);
    expect(headers_.get('content-disposition')).toBe(`attachment; filename="proposals.xlsx"; filename*=UTF-8''${enc(`提案-${org.sessionCode}.xlsx`)}`);
    expect(headers_.get('x-banli-rows')).toBe('3');
    expect(sheet.name).toBe('提案');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(4).width).toBe(44);
    expect(headers).toEqual([
      '届次',
      '登记号',
      '提案编号',
      '标题',
      '提案类型',
      '提案者',
      '类别',
      '收到日期',
      '阶段',
      '审查结果',
      '办理方式',
      '主办单位',
      '承办单位',
      '重点提案',
      '督办领导',
      '答复分类',
      '答复文号',
      '答复时间',
      '下一期限',
      '期限说明',
      '办结时间',
      '登记时间',
      '流程编号',
    ]);
    expect(rows.map((r) => r['流程编号']).sort()).toEqual([shared, co2Only, received].sort());
    const row = rows.find((r) => r['流程编号'] === shared)!;
    const p = await db.selectFrom('proposals').selectAll().where('workflow_id', '=', shared).executeTakeFirstOrThrow();
    expect(row['届次']).toBe(org.sessionCode);
    expect(row['登记号']).toBe(p.receipt_no);
    expect(row['提案编号']).toBe(p.proposal_no);
    expect(row['标题']).toBe('关于加快推进数字经济高质量发展的建议');
    expect(row['提案类型']).toBe('联名提案');
    expect(row['提案者']).toBe(`张永庆${org.prefix}、李明${org.prefix}`);
    expect(row['类别']).toBe('经济');
    expect(row['收到日期']).toEqual(new Date(Date.UTC(2026, 0, 20)));
    expect(row['阶段']).toBe('办理中');
    expect(row['审查结果']).toBe('立案');
    expect(row['办理方式']).toBe('主办＋会办');
    expect(row['主办单位']).toBe(await unitName(org.units.lead));
    expect(row['承办单位']).toBe(`${await unitName(org.units.lead)}、${await unitName(org.units.co1)}`);
    expect(row['重点提案']).toBe('否');
    expect(row['答复分类']).toBe('A');
    expect(row['答复时间']).toBeNull();
    // Times are Beijing wall-clock time written as Excel dates.
    expect(row['登记时间']).toEqual(new Date(new Date(p.created_at).getTime() + 8 * 3_600_000));
    expect(row['下一期限']).toEqual(new Date(new Date(p.next_due_at!).getTime() + 8 * 3_600_000));
    expect(sheet.getCell(`S${rows.indexOf(row) + 2}`).numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(rows.find((r) => r['流程编号'] === received)!['阶段']).toBe('已登记');
  });

  it('gives a liaison only their unit’s proposals, tasks and reply versions, and refuses another unit', async () => {
    const proposals = await sheetOf('leadLiaison', `/api/exports/proposals.xlsx?${s()}`);
    expect(proposals.rows.map((r) => r['流程编号'])).toEqual([shared]);
    const tasks = await sheetOf('leadLiaison', `/api/exports/tasks.xlsx?${s()}`);
    expect(tasks.sheet.name).toBe('承办任务');
    expect(tasks.rows).toHaveLength(1);
    expect(tasks.rows[0]).toMatchObject({ 承办单位: await unitName(org.units.lead), 承办方式: '主办', 进度: '办理中', 状态: '起草答复', 轮次: 1, 流程编号: shared });
    expect(tasks.rows[0]!['期限']).toBeInstanceOf(Date);
    const replies = await sheetOf('leadLiaison', `/api/exports/replies.xlsx?${s()}`);
    expect(replies.rows.map((r) => [r['稿次'], r['答复分类'], r['修改说明'], r['答复正文']])).toEqual([
      [1, 'A', '初稿', '第一稿：已开展工作。'],
      [2, 'A', '补充下一步', '第二稿：已开展工作；下一步工作。'],
    ]);
    expect(replies.rows[0]!['保存时间']).toBeInstanceOf(Date);
    const co1 = await sheetOf('co1Liaison', `/api/exports/replies.xlsx?${s()}`);
    expect(co1.rows).toEqual([]);
    expect((await sheetOf('co2Liaison', `/api/exports/proposals.xlsx?${s()}`)).rows.map((r) => r['流程编号'])).toEqual([co2Only]);
    expect((await sheetOf('otherLiaison', `/api/exports/tasks.xlsx`)).rows).toEqual([]);

    const other = await download('leadLiaison', `/api/exports/tasks.xlsx?unit=${enc(org.units.co2)}`);
    expect(other.status).toBe(403);
    expect(other.json()).toMatchObject({ error: 'NOT_YOUR_UNIT', field: 'unit' });
  });

  it('lets staff narrow to one unit, proposers export their own proposals only, and names bad requests', async () => {
    const co1 = await sheetOf('office', `/api/exports/tasks.xlsx?${s()}&unit=${enc(org.units.co1)}`);
    expect(co1.rows.map((r) => [r['流程编号'], r['承办方式']])).toEqual([[shared, '会办']]);
    expect(co1.headers_.get('content-disposition')).toContain(enc(`承办任务-${org.sessionCode}-省科技厅.xlsx`));
    const mine = await sheetOf('proposer', `/api/exports/proposals.xlsx?${s()}`);
    expect(mine.rows).toHaveLength(3);
    expect((await download('proposer', `/api/exports/tasks.xlsx?${s()}`)).status).toBe(403);
    expect((await download('office', `/api/exports/tasks.xlsx?unit=nowhere-${org.prefix}`)).json()).toMatchObject({ error: 'INVALID_INPUT', field: 'unit' });
    expect((await download('office', '/api/exports/everything.xlsx')).status).toBe(404);
    expect((await download('office', '/api/exports/proposals.csv')).status).toBe(404);
    expect((await download('office', '/api/exports/due-soon.xlsx?days=0')).status).toBe(422);
  });

  it('exports the due-soon and overdue worklists with working days counted, a unit seeing its own', async () => {
    const clock = { reminderOffsets: [], escalation: [], keyEscalation: [] };
    const { org: fast, d: fd } = await suite.orgWith({ policy: { durations: { reply: { key: 'reply', label: '答复期限', amount: 4, unit: 'seconds' } }, clock } });
    const id = await fd.assigned('sole');
    const get = async (who: string, path: string) => {
      const res = await fetch(`${api.server.url}${path}`, { headers: { authorization: `Bearer ${fd.tokens[who]}` } });
      expect(res.status).toBe(200);
      return readBack(new Uint8Array(await res.arrayBuffer()));
    };
    const soon = await get('office', `/api/exports/due-soon.xlsx?session=${enc(fast.sessionCode)}`);
    expect(soon.sheet.name).toBe('临期清单');
    expect(soon.rows).toHaveLength(1);
    expect(soon.rows[0]).toMatchObject({ 流程编号: id, 承办方式: '单独办理', 状态: '起草答复', 重点提案: '否', 剩余工作日: 0 });
    expect(soon.rows[0]!['期限']).toBeInstanceOf(Date);
    const late = await eventually(async () => {
      const list = await get('office', `/api/exports/overdue.xlsx?session=${enc(fast.sessionCode)}`);
      return list.rows.length > 0 ? list : null;
    });
    expect(late.sheet.name).toBe('逾期清单');
    expect(late.headers).toContain('逾期工作日');
    expect(late.rows[0]).toMatchObject({ 流程编号: id, 承办单位: await unitName(fast.units.lead), 逾期工作日: 0 });
    expect((await get('leadLiaison', '/api/exports/overdue.xlsx')).rows.map((r) => r['流程编号'])).toContain(id);
    expect((await get('otherLiaison', '/api/exports/overdue.xlsx')).rows).toEqual([]);
  });

  it('writes a workbook that exceljs opens with the same values the API lists', async () => {
    const api_ = await api.call(d.tokens.office!, 'GET', `/api/proposals?${s()}`);
    const { rows } = await sheetOf('office', `/api/exports/proposals.xlsx?${s()}`);
    const byId = new Map(rows.map((r) => [r['流程编号'], r]));
    for (const p of api_.json.items) {
      const row = byId.get(p.workflowId)!;
      expect([row['登记号'], row['标题'], row['阶段'], row['提案编号'] ?? null]).toEqual([p.receiptNo, p.title, p.stageLabel, p.proposalNo]);
    }
  });
});
