import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { sha256 } from '../../../db/repositories/blobs.js';
import { listTaskRows } from '../../../db/repositories/proposal-reads.js';
import { actionRule } from '../../../workflows/proposal/machine.js';
import { roleLabel } from '../../../workflows/proposal/state.js';
import { BATCH_CONCURRENCY } from '../../batch-rows.js';
import { mapBounded } from '../../bounded.js';
import { parseActionBody } from '../../http/action-bodies.js';
import { problemFromError } from '../../http/errors.js';
import { payloadHash, updateIdFor } from '../../http/idempotency.js';
import type { ProblemBody } from '../../http/problem.js';
import { checkAssignments, readAssignmentJson, readAssignmentSheet, type RawAssignment } from '../../io/assignment-rows.js';
import { SheetError } from '../../io/xlsx-read.js';
import { processView } from '../../read/process-view.js';
import { proposalView, unitTaskView } from '../../read/views.js';
import { problemLines, readInputFile, visibleProposal, workflowIdOf, type CommandHandler } from '../common.js';
import { CliFailure, failureOf } from '../output.js';

// Actions on proposals through the same table, door shapes and visibility rule as the API:
// 立案 (file), 交办会 (assign --batch, every row checked before any is sent) and status.

const MAX_ASSIGN_ROWS = 6_000;

const file: CommandHandler = async (ctx, out, [id], o) => {
  const workflowId = workflowIdOf(id!, o.session);
  const body = Object.fromEntries(
    Object.entries({ outcome: o.outcome, proposalNo: o.number, mergedInto: o.mergedInto, reasonCode: o.reasonCode, reasonText: o.reason }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  const parsed = parseActionBody('file', body);
  if (!parsed.ok)
    throw new CliFailure(2, 'INVALID_INPUT', `${parsed.issues[0]!.field}：${parsed.issues[0]!.message}`, parsed.issues[0]!.field, { issues: parsed.issues });
  const user = await ctx.user();
  const actor = await ctx.actor();
  const row = await visibleProposal(ctx, actor, workflowId);
  const proposals = await ctx.proposals();
  // Like the API's Idempotency-Key: the same --key and the same fields answer with the first result.
  const key = typeof o.key === 'string' ? o.key : randomUUID();
  const updateId = updateIdFor(key, payloadHash({ action: 'file', userId: user.id, input: parsed.value.input }));
  try {
    const state = await proposals.act(row.workflow_id, 'file', actor, parsed.value.input, updateId);
    const view = processView(state, actor);
    out.result({ proposal: view }, () => [`${row.workflow_id}：${view.stageLabel}${view.proposalNo ? `（${view.proposalNo}）` : ''}`]);
    return 0;
  } catch (err) {
    const mapped = problemFromError(err);
    if (mapped.type === 'INTERNAL') throw err;
    throw failureOf(mapped.body);
  }
};

async function assignmentsFrom(path: string, bytes: Buffer): Promise<{ items: RawAssignment[]; batchId?: string }> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') {
    try {
      return { items: await readAssignmentSheet(bytes, MAX_ASSIGN_ROWS) };
    } catch (err) {
      if (err instanceof SheetError) throw new CliFailure(2, 'INVALID_INPUT', err.message, 'batch');
      throw err;
    }
  }
  if (ext !== '.json') throw new CliFailure(2, 'INVALID_INPUT', `交办清单应为 .json 或 .xlsx 文件：${path}`, 'batch');
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new CliFailure(2, 'INVALID_INPUT', `${path} 不是有效的 JSON`, 'batch');
  }
  const read = readAssignmentJson(value);
  if (typeof read === 'string') throw new CliFailure(2, 'INVALID_INPUT', read, 'batch');
  return read;
}

interface AssignResult {
  where: string;
  workflowId: string;
  status: 'assigned' | 'refused';
  stage?: string;
  error?: ProblemBody;
}

const assign: CommandHandler = async (ctx, out, _args, o) => {
  const path = String(o.batch);
  const bytes = await readInputFile(path, 'batch');
  const { items, batchId: fromFile } = await assignmentsFrom(path, bytes);
  if (items.length === 0) throw new CliFailure(2, 'INVALID_INPUT', `${path} 中没有交办行`, 'batch');
  const user = await ctx.user();
  const actor = await ctx.actor();
  const rule = actionRule('assign');
  if (!rule.roles.includes(user.role))
    throw new CliFailure(1, 'FORBIDDEN_ROLE', `只有${rule.roles.map(roleLabel).join('或')}可以交办，当前身份是${roleLabel(user.role)}`);
  const checked = await checkAssignments(ctx.db, actor, items, typeof o.session === 'string' ? o.session : undefined);
  if (checked.errors.length > 0) {
    const details = problemLines(checked.errors);
    throw new CliFailure(2, 'INVALID_INPUT', `交办清单有${checked.errors.length}处问题，未交办任何提案：请修改后重新提交`, 'batch', {
      errors: checked.errors,
      details,
    });
  }
  // The batch's id makes each row's Update id: the same file sent again answers, assigns nothing twice.
  const batchId = typeof o.batchId === 'string' ? o.batchId : (fromFile ?? `cli-${sha256(bytes.toString('base64')).slice(0, 24)}`);
  if (!/^[\w-]{4,80}$/.test(batchId)) throw new CliFailure(2, 'INVALID_INPUT', 'batchId 应为4至80个字母、数字、_ 或 -', 'batch-id');
  const proposals = await ctx.proposals();
  const progress = out.progress('交办');
  let done = 0;
  const results = await mapBounded(checked.rows, BATCH_CONCURRENCY, async (row, index): Promise<AssignResult> => {
    try {
      const state = await proposals.act(row.workflowId, 'assign', actor, row.input, `assign:${batchId}:${index}`);
      return { where: row.where, workflowId: row.workflowId, status: 'assigned', stage: state.stage };
    } catch (err) {
      return { where: row.where, workflowId: row.workflowId, status: 'refused', error: problemFromError(err).body };
    } finally {
      progress.update(++done, checked.rows.length);
    }
  });
  progress.end();
  const refused = results.filter((r) => r.status === 'refused');
  out.result({ batchId, assigned: results.length - refused.length, refused: refused.length, results }, () => [
    `已交办${results.length - refused.length}件，未交办${refused.length}件（批次 ${batchId}）`,
    ...problemLines(refused.map((r) => ({ where: r.where, message: `${r.workflowId}：${r.error!.message}` }))),
  ]);
  return refused.length > 0 ? 1 : 0;
};

const status: CommandHandler = async (ctx, out, [id], o) => {
  const actor = await ctx.actor();
  const row = await visibleProposal(ctx, actor, workflowIdOf(id!, o.session));
  const tasks = (await listTaskRows(ctx.db, row.workflow_id)).map((t) => unitTaskView(t, actor));
  // The read model answers even when Temporal does not; the live part is then left out (as in the API).
  const live = await ctx
    .proposals()
    .then((p) => p.state(row.workflow_id))
    .then((s) => (s ? processView(s, actor) : null))
    .catch(() => null);
  const proposal = proposalView(row, actor);
  out.result({ proposal, tasks, live }, () => [
    `${proposal.workflowId}  ${proposal.title}`,
    `  阶段：${proposal.stageLabel}${proposal.proposalNo ? `  编号：${proposal.proposalNo}` : ''}${proposal.replyDocNo ? `  答复文号：${proposal.replyDocNo}` : ''}`,
    ...(proposal.nextDueAt ? [`  下一期限：${proposal.nextDueAt}${proposal.nextDueExplanation ? `（${proposal.nextDueExplanation}）` : ''}`] : []),
    ...tasks.map((t) => `  ${t.unitId}  ${t.role}  ${t.progress}${t.dueAt ? `  期限 ${t.dueAt}` : ''}`),
    ...(live ? [] : ['  （办理流程暂时无法查询，以上为登记库中的信息）']),
  ]);
  return 0;
};

export function handlingCommands(program: Command, wrap: (handler: CommandHandler) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('file <id>')
    .description('审查立案：<id> 为流程编号 proposal:届次:登记号，或登记号加 --session')
    .option('--session <届次>', '用登记号指明提案时的届次')
    .option('--outcome <结果>', 'filed（立案）、merged（并案）、converted（转为意见建议）、not_filed（不予立案）', 'filed')
    .option('--number <提案编号>', '立案编号，如 第224号（不填则按规则自动编号）')
    .option('--merged-into <id>', '并案时：并入的提案')
    .option('--reason-code <code>', '不予立案时：理由代码')
    .option('--reason <text>', '说明')
    .option('--key <key>', '幂等键：同一键和同样的内容重试时返回第一次的结果')
    .action(wrap(file));

  program
    .command('assign')
    .description('交办会：按清单（.json 或 .xlsx）批量交办；每行都无误才发送，逐行报告结果')
    .requiredOption('--batch <file>', '交办清单：JSON（同 POST /api/assignments/batch）或 .xlsx（流程编号或届次+登记号、办理方式、承办单位）')
    .option('--session <届次>', '清单只有登记号时的届次')
    .option('--batch-id <id>', '批次号（默认取文件内容的摘要：同一文件重复提交不会重复交办）')
    .action(wrap(assign));

  program
    .command('status <id>')
    .description('提案的登记信息、各单位任务和实时办理状态（按身份可见）')
    .option('--session <届次>', '用登记号指明提案时的届次')
    .action(wrap(status));
}
