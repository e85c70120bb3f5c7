import type { Command } from 'commander';
import { putText } from '../../../db/repositories/blobs.js';
import { sessionExists } from '../../../db/repositories/bulk-reads.js';
import { registrationInput, registrationUpdateId } from '../../batch-rows.js';
import { actorOf } from '../../http/auth.js';
import { doorIssues } from '../../http/problem.js';
import { MAY_NOT_REGISTER, mayRegister } from '../../http/register-proposal.js';
import { registrationSchema } from '../../http/schemas.js';
import { importRefusal, ImportRefusal, prepareImport, runImport } from '../../io/proposal-import.js';
import { proposerKindOf, proposersFrom } from '../../io/proposers.js';
import { splitList } from '../../io/xlsx-cells.js';
import { processView } from '../../read/process-view.js';
import { problemLines, readInputFile, type CommandHandler } from '../common.js';
import { CliFailure, exitCodeOf } from '../output.js';

// 登记: one proposal from flags or a JSON file, or a session's proposals from .xlsx. The same
// schema as POST /api/proposals and the same Update id per receipt as the batch and the import,
// so registering a receipt again (from any door) answers with the first registration.

const register: CommandHandler = async (ctx, out, _args, o) => {
  let raw: Record<string, unknown> = {};
  if (typeof o.file === 'string') {
    const text = (await readInputFile(o.file)).toString('utf8');
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new CliFailure(2, 'INVALID_INPUT', `${o.file} 不是有效的 JSON`, 'file');
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new CliFailure(2, 'INVALID_INPUT', `${o.file} 应是一个登记对象（与 POST /api/proposals 相同）`, 'file');
  }
  const flag = (name: string, field: string) => (typeof o[name] === 'string' ? { [field]: o[name] } : {});
  raw = {
    ...raw,
    ...flag('session', 'sessionCode'),
    ...flag('receipt', 'receiptNo'),
    ...flag('title', 'title'),
    ...flag('topic', 'topic'),
    ...flag('received', 'receivedDate'),
  };
  if (typeof o.bodyFile === 'string') raw.body = (await readInputFile(o.bodyFile, 'body-file')).toString('utf8');
  else if (typeof o.body === 'string') raw.body = o.body;
  if (typeof o.kind === 'string') raw.proposerKind = proposerKindOf(o.kind);
  if (typeof o.proposer === 'string') {
    const list = (name: string) => (typeof o[name] === 'string' ? splitList(o[name]) : []);
    const { proposers, problems } = proposersFrom(typeof raw.proposerKind === 'string' ? raw.proposerKind : '', {
      names: list('proposer'),
      emails: list('email'),
      phones: list('phone'),
      sectors: list('sector'),
    });
    if (problems.length > 0) throw new CliFailure(2, 'INVALID_INPUT', problems[0]!.message, problems[0]!.list);
    raw.proposers = proposers;
  }
  const parsed = registrationSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = doorIssues(parsed.error);
    throw new CliFailure(2, 'INVALID_INPUT', `${issues[0]!.field}：${issues[0]!.message}`, issues[0]!.field, { issues });
  }
  const body = parsed.data;
  const user = await ctx.user();
  // Asked here as at POST /api/proposals: a repeated registration is answered before the workflow sees the role.
  if (!mayRegister(user)) throw new CliFailure(1, 'FORBIDDEN_ROLE', MAY_NOT_REGISTER);
  if (!(await sessionExists(ctx.db, body.sessionCode))) throw new CliFailure(2, 'INVALID_INPUT', `届次「${body.sessionCode}」不存在，请先由管理员建立`, 'sessionCode');
  const proposals = await ctx.proposals();
  const state = await proposals.register(registrationInput(user, body, await putText(ctx.db, body.body)), registrationUpdateId(body));
  const view = processView(state, actorOf(user));
  out.result({ workflowId: state.workflowId, proposal: view }, () => [`已登记：${state.workflowId}（${view.stageLabel}）`]);
  return 0;
};

const importXlsx: CommandHandler = async (ctx, out, [path], o) => {
  const dryRun = o.dryRun === true;
  if (typeof o.session !== 'string' || !o.session.trim()) throw new CliFailure(2, 'INVALID_INPUT', '请用 --session <届次> 指明导入到哪个届次', 'session');
  const bytes = await readInputFile(path!);
  const user = await ctx.user();
  const refused = importRefusal(user, dryRun);
  if (refused) throw new CliFailure(1, refused.type, refused.message);
  let prepared;
  try {
    prepared = await prepareImport(ctx.db, o.session.trim(), bytes);
  } catch (err) {
    if (err instanceof ImportRefusal) throw new CliFailure(exitCodeOf(err.type), err.type, err.message, err.field || undefined);
    throw err;
  }
  const { preview } = prepared;
  const rowLines = () => problemLines(preview.errors.map((e) => ({ where: `第${e.row}行`, column: e.column || '整行', message: e.message })));
  const summary = `${preview.sheet}：共${preview.total}行，无误${preview.valid}行，${preview.errors.length}处问题；其中已登记过${preview.rows.filter((r) => r.existing).length}行`;
  if (dryRun) {
    out.result({ dryRun: true, ...preview }, () => [summary, ...rowLines(), ...(preview.ok ? ['（预览：未登记任何提案；去掉 --dry-run 即可导入）'] : [])]);
    return preview.ok ? 0 : 2;
  }
  if (!preview.ok) {
    throw new CliFailure(2, 'INVALID_INPUT', `有${preview.errors.length}处问题，未登记任何提案：请修改后重新导入`, 'file', { preview, details: rowLines() });
  }
  const progress = out.progress('登记');
  const result = await runImport({ db: ctx.db, proposals: await ctx.proposals() }, user, prepared, (done, total) => progress.update(done, total));
  progress.end();
  const failed = result.results.filter((r) => r.status === 'failed');
  out.result({ dryRun: false, ...result }, () => [
    `已导入：新登记${result.created}件，已登记过${result.existing}件，失败${result.failed}件`,
    ...problemLines(failed.map((r) => ({ where: `第${r.row}行`, column: '登记号', message: `${r.receiptNo}：${r.error!.message}` }))),
    ...(failed.length > 0 ? ['重新运行同一命令即可补齐失败的行，已登记的不会重复登记'] : []),
  ]);
  return failed.length > 0 ? 1 : 0;
};

export function registrationCommands(program: Command, wrap: (handler: CommandHandler) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('register')
    .description('登记一件提案（与 POST /api/proposals 相同的字段和检查）')
    .option('--file <json>', '登记对象（JSON，字段同 API）；其余选项覆盖其中的字段')
    .option('--session <届次>', '届次，如 十四届三次会议')
    .option('--receipt <登记号>', '登记号（字母、数字和连字符）')
    .option('--title <标题>', '提案标题')
    .option('--body <正文>', '提案正文')
    .option('--body-file <path>', '从文本文件读取提案正文')
    .option('--kind <提案类型>', '个人、联名、党派、人民团体、界别、专委会（或 individual、joint …）')
    .option('--proposer <names>', '提案者，多人用“、”分隔，第一位为第一提案人')
    .option('--email <list>', '邮箱，按提案者顺序用“、”分隔（只填一个则为第一提案人的）')
    .option('--phone <list>', '电话，规则同邮箱')
    .option('--sector <list>', '界别，只填一个则全体相同')
    .option('--topic <类别>', '类别，如 经济')
    .option('--received <date>', '收到日期 YYYY-MM-DD（默认今天）')
    .action(wrap(register));

  program
    .command('import <xlsx>')
    .description('从 .xlsx 登记表导入一个届次的提案：每行都无误才全部登记，否则一件也不登记')
    .requiredOption('--session <届次>', '导入到哪个届次')
    .option('--dry-run', '只检查并预览，不登记')
    .action(wrap(importXlsx));
}
