import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { jointProposal, uniq, type Org } from '../support/context.js';
import type { Driver } from '../support/drive.js';
import { useSuite } from '../support/suite.js';
import { readBack, workbookOf, type SheetRows } from '../support/xlsx.js';

// The CLI as a person or a script runs it: its own process (`node --import tsx
// client/cli/main.ts`), the shared stack's PostgreSQL and Temporal from the environment, acting
// as a user of the seeded organisation; exit codes 0 done, 1 refused, 2 bad input, and --json.

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(REPO, 'client/cli/main.ts');

const suite = useSuite();
let db: Db;
let org: Org;
let d: Driver;
let dir: string;
beforeAll(() => {
  ({ db, org, d } = suite);
  dir = mkdtempSync(join(tmpdir(), 'banli-cli-'));
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- --json output read field by field
  json: any;
}

/** The CLI in its own process, as `who` from the org, with the server's environment minus what it does not use. */
function cli(who: string | null, ...args: string[]): Promise<Run> {
  const { SMTP_URL: _smtp, BANLI_LINK_SECRET: _secret, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...(who ? ['--as', org.users[who]!.username] : []), ...args], {
    cwd: REPO,
    env: { ...env, DATABASE_URL: inject('databaseUrl'), TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: inject('taskQueue') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown = undefined;
      try {
        json = JSON.parse(stdout);
      } catch {
        /* not --json */
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

const BODY = '一、基本情况：……\n二、存在问题：……\n三、具体建议：完善机制。';
const rowsFor = (n: number): SheetRows =>
  Array.from({ length: n }, (_, i) => ({
    登记号: uniq('C'),
    标题: `关于第${i + 1}项工作的建议`,
    正文: BODY,
    提案类型: '个人',
    提案者: `张永庆${org.prefix}`,
    收到日期: '2026-01-20',
  }));

async function file(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('banli, the command line', () => {
  it('imports a session’s .xlsx: a bad file exits 2 and registers nothing, a good one 0, again 0 creating nothing', async () => {
    const rows = rowsFor(5);
    const bad = await file('bad.xlsx', await workbookOf([...rows, { ...rows[0]!, 登记号: uniq('C'), 标题: '短' }]));
    const preview = await cli('office', '--json', 'import', bad, '--session', org.sessionCode, '--dry-run');
    expect(preview.code, preview.stderr).toBe(2);
    expect(preview.json).toMatchObject({ dryRun: true, ok: false, total: 6, valid: 5, errors: [{ row: 7, column: '标题', field: 'title', message: '提案标题太短' }] });
    const refused = await cli('office', 'import', bad, '--session', org.sessionCode);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('未登记任何提案');
    expect(refused.stderr).toContain('第7行「标题」：提案标题太短');
    expect(await db.selectFrom('proposals').select('workflow_id').where('session_code', '=', org.sessionCode).execute()).toEqual([]);

    const good = await file('good.xlsx', await workbookOf(rows));
    const done = await cli('office', '--json', 'import', good, '--session', org.sessionCode);
    expect(done.code, done.stderr).toBe(0);
    expect(done.json).toMatchObject({ imported: true, created: 5, existing: 0, failed: 0 });
    expect(done.stderr).toBe(''); // no progress bar into a pipe
    const again = await cli('office', '--json', 'import', good, '--session', org.sessionCode);
    expect(again.json).toMatchObject({ created: 0, existing: 5 });
    const registered = await db
      .selectFrom('events')
      .select('id')
      .where('step', '=', 'register')
      .where('workflow_id', 'like', `proposal:${org.sessionCode}:%`)
      .execute();
    expect(registered).toHaveLength(5);

    expect((await cli('leadLiaison', 'import', good, '--session', org.sessionCode)).code).toBe(1);
    const missing = await cli('office', '--json', 'import', join(dir, 'nope.xlsx'), '--session', org.sessionCode);
    expect(missing).toMatchObject({ code: 2, json: { error: 'INVALID_INPUT', field: 'file' } });
  });

  it('registers from flags and from a JSON file through the API’s schema, once per receipt', async () => {
    const receipt = uniq('F');
    const flags = ['register', '--session', org.sessionCode, '--receipt', receipt, '--title', '关于完善科技人才评价机制的建议', '--body', BODY, '--kind', '联名'];
    const people = [
      '--proposer',
      `张永庆${org.prefix}、李明${org.prefix}`,
      '--email',
      `${org.proposerEmails.first}、${org.proposerEmails.cosigner}`,
      '--sector',
      '科技界',
    ];
    const first = await cli('office', '--json', ...flags, ...people);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ workflowId: `proposal:${org.sessionCode}:${receipt}`, proposal: { stage: 'received', proposerKind: 'joint' } });
    const again = await cli('office', '--json', ...flags, ...people);
    expect(again).toMatchObject({ code: 0, json: { workflowId: first.json.workflowId } });
    const stored = await db.selectFrom('proposal_proposers').select('proposer_id').where('workflow_id', '=', first.json.workflowId).execute();
    expect(stored).toHaveLength(2);

    const badEmail = await cli('office', '--json', ...flags, '--proposer', `张永庆${org.prefix}、李明${org.prefix}`, '--email', 'a@x.test、nope');
    expect(badEmail).toMatchObject({ code: 2, json: { error: 'INVALID_INPUT', field: 'proposers[1].email' } });
    const changed = await cli('office', '--json', ...flags.slice(0, -4), '--title', '关于另一件事情的建议', '--body', BODY, '--kind', '联名', ...people);
    expect(changed).toMatchObject({ code: 1, json: { error: 'CONFLICT', field: 'receiptNo' } });
    const liaison = await cli('leadLiaison', ...flags, ...people);
    expect(liaison.code).toBe(1);
    expect(liaison.stderr).toContain('只有交办单位或提案委员会可以登记提案');

    const json = await file('one.json', JSON.stringify(jointProposal(org, uniq('J'))));
    const fromFile = await cli('committee', '--json', 'register', '--file', json);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect((await cli('committee', 'register', '--file', await file('broken.json', '{'))).code).toBe(2);
  });

  it('files by receipt number, refuses a second filing with the reason (1), and shows status per visibility', async () => {
    const id = await d.register();
    const receipt = id.split(':').pop()!;
    const number = `第${uniq('')}号`;
    const filed = await cli('committee', '--json', 'file', receipt, '--session', org.sessionCode, '--number', number);
    expect(filed.code, filed.stderr).toBe(0);
    expect(filed.json.proposal).toMatchObject({ stage: 'filed', proposalNo: number });
    const twice = await cli('committee', 'file', id, '--number', number);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^banli: .+/);
    expect((await cli('committee', '--json', 'file', id, '--outcome', 'maybe')).json).toMatchObject({ error: 'INVALID_INPUT', field: 'outcome' });
    expect((await cli('committee', 'file', receipt)).code).toBe(2);

    const status = await cli('office', '--json', 'status', id);
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({ proposal: { workflowId: id, stage: 'filed', proposalNo: number }, tasks: [], live: { stage: 'filed' } });
    const hidden = await cli('otherLiaison', '--json', 'status', id);
    expect(hidden).toMatchObject({ code: 1, json: { error: 'NOT_FOUND', message: '没有找到该提案，或你无权查看' } });
  });

  it('assigns a batch from .xlsx by unit names: a bad row exits 2 sending nothing; good rows 0; the same file again assigns nothing twice', async () => {
    const ids = [await d.filed(), await d.filed(), await d.filed()];
    const lead = await db.selectFrom('units').select(['short_name', 'name']).where('id', '=', org.units.lead).executeTakeFirstOrThrow();
    const co1 = await db.selectFrom('units').select('name').where('id', '=', org.units.co1).executeTakeFirstOrThrow();
    const headers = ['流程编号', '标题', '办理方式', '承办单位'];
    const rows: SheetRows = [
      { 流程编号: ids[0], 办理方式: '单独办理', 承办单位: lead.name },
      { 流程编号: ids[1], 办理方式: '主办', 承办单位: `${lead.name}、${co1.name}` },
      { 流程编号: ids[2], 办理方式: 'split', 承办单位: `${org.units.co1}、${org.units.co2}` },
    ];
    const bad = await file('assign-bad.xlsx', await workbookOf([...rows, { 流程编号: ids[0], 办理方式: '单独办理', 承办单位: '不存在的单位' }], { headers }));
    const refused = await cli('office', '--json', 'assign', '--batch', bad);
    expect(refused.code).toBe(2);
    expect(refused.json.errors).toEqual([{ where: '第5行', field: 'units', message: '没有这些承办单位：不存在的单位' }]);
    expect(await db.selectFrom('proposals').select('stage').where('workflow_id', 'in', ids).where('stage', '=', 'handling').execute()).toEqual([]);

    const good = await file('assign.xlsx', await workbookOf(rows, { headers }));
    expect((await cli('leadLiaison', 'assign', '--batch', good)).code).toBe(1);
    const done = await cli('office', '--json', 'assign', '--batch', good);
    expect(done.code, done.stderr).toBe(0);
    expect(done.json).toMatchObject({ assigned: 3, refused: 0 });
    const again = await cli('office', '--json', 'assign', '--batch', good);
    expect(again).toMatchObject({ code: 0, json: { assigned: 3, refused: 0, batchId: done.json.batchId } });
    const assigns = await db.selectFrom('events').select('id').where('step', '=', 'assign').where('workflow_id', 'in', ids).execute();
    expect(assigns).toHaveLength(3);

    // A JSON list in the API's shape; a proposal not yet filed is refused by its workflow (1), the others go.
    const received = await d.register();
    const json = await file('assign.json', JSON.stringify({ items: [{ workflowId: received, mode: 'sole', units: [org.units.lead] }] }));
    const wrongStage = await cli('office', '--json', 'assign', '--batch', json);
    expect(wrongStage).toMatchObject({
      code: 1,
      json: { assigned: 0, refused: 1, results: [{ where: 'items[0]', status: 'refused', error: { error: 'WRONG_STAGE' } }] },
    });
  });

  it('lists the overdue worklist and exports a liaison’s own unit only', async () => {
    const mine = await d.assigned('sole', [org.units.lead]);
    const theirs = await d.assigned('sole', [org.units.co2]);
    const overdue = await cli('leadLiaison', '--json', 'overdue', '--session', org.sessionCode);
    expect(overdue).toMatchObject({ code: 0, json: { kind: 'overdue', count: 0 } });
    const soon = await cli('leadLiaison', '--json', 'overdue', '--due-soon', '--days', '90', '--session', org.sessionCode);
    expect(soon.json.items.every((i: { unitId: string }) => i.unitId === org.units.lead)).toBe(true);
    expect((await cli('proposer', 'overdue')).code).toBe(1);
    expect((await cli('office', 'overdue', '--days', '0')).code).toBe(2);

    const out = join(dir, 'lead-proposals.xlsx');
    const exported = await cli('leadLiaison', '--json', 'export', 'proposals', '--session', org.sessionCode, '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.json).toMatchObject({ kind: 'proposals', file: out });
    const { rows } = await readBack(readFileSync(out));
    const ids = rows.map((r) => r['流程编号']);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    expect(exported.json.rows).toBe(rows.length);
    const other = await cli('leadLiaison', '--json', 'export', 'tasks', '--unit', org.units.co2, '--out', join(dir, 'x.xlsx'));
    expect(other).toMatchObject({ code: 1, json: { error: 'NOT_YOUR_UNIT' } });
    expect((await cli('office', 'export', 'everything')).code).toBe(2);
  });

  it('imports a year’s calendar from CSV for the office, previews it, and refuses others and bad lines', async () => {
    const csv = await file('2098.csv', 'date,kind,name\n2098-01-01,holiday,元旦\n2098-02-01,makeup_workday,春节调休\n');
    const preview = await cli('office', '--json', 'calendar', 'import', '2098', csv, '--dry-run');
    expect(preview).toMatchObject({ code: 0, json: { year: 2098, dryRun: true, days: 2 } });
    expect((await cli('leadLiaison', 'calendar', 'import', '2098', csv)).code).toBe(1);
    const badLine = await cli('office', '--json', 'calendar', 'import', '2098', await file('bad.csv', '2098-13-01,holiday,x\n'));
    expect(badLine).toMatchObject({ code: 2, json: { error: 'INVALID_INPUT', field: 'line 1' } });
    const saved = await cli('office', '--json', 'calendar', 'import', '2098', csv);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.json).toMatchObject({ year: 2098, days: 2 });
    expect(await db.selectFrom('calendar_days').select(['date', 'kind']).where('year', '=', 2098).orderBy('date').execute()).toEqual([
      { date: '2098-01-01', kind: 'holiday' },
      { date: '2098-02-01', kind: 'makeup_workday' },
    ]);
  });

  it('answers usage mistakes and unknown users with 2, help with 0, through the npx shim too', async () => {
    expect((await cli(null, 'import')).code).toBe(2);
    expect((await cli(null, 'frobnicate')).code).toBe(2);
    const nobody = await cli(null, '--as', `nobody-${uniq()}`, '--json', 'overdue');
    expect(nobody).toMatchObject({ code: 2, json: { error: 'INVALID_INPUT', field: 'as' } });
    const help = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [join(REPO, 'client/cli/bin.mjs'), '--help'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: banli');
  });
});
