import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { canEditCalendar, parseCalendarCsv, previewCalendar, saveCalendarYear } from '../../io/calendar-csv.js';
import { buildExport, EXPORT_KINDS, ExportRefusal, type ExportKind } from '../../io/exports.js';
import { readWorklist, worklistRefusal } from '../../read/worklists.js';
import { readInputFile, type CommandHandler } from '../common.js';
import { CliFailure, exitCodeOf } from '../output.js';

// Reading and reference data: the overdue worklist, the .xlsx exports (the same files as
// GET /api/exports/{kind}.xlsx) and a year's holiday calendar from CSV.

function positiveInt(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliFailure(2, 'INVALID_INPUT', `--${name} 应为 ${min} 至 ${max} 的整数`, name);
  return n;
}

const overdue: CommandHandler = async (ctx, out, _args, o) => {
  const kind = o.dueSoon === true ? 'due-soon' : 'overdue';
  const days = positiveInt(o.days, 'days', 1, 90) ?? 7;
  const actor = await ctx.actor();
  const refused = worklistRefusal(actor);
  if (refused) throw new CliFailure(1, 'FORBIDDEN_ROLE', refused);
  const list = await readWorklist(ctx.db, ctx.calendarNow, actor, {
    kind,
    days,
    unit: typeof o.unit === 'string' ? o.unit : undefined,
    session: typeof o.session === 'string' ? o.session : undefined,
    limit: positiveInt(o.limit, 'limit', 1, 5000) ?? 500,
  });
  out.result(list, () => [
    `${kind === 'overdue' ? '逾期' : `${days}天内到期`}：${list.count}项`,
    ...list.items.map(
      (i) =>
        `${i.keyProposal ? '★' : ' '} ${i.proposalNo ?? i.workflowId}  ${i.title}  ${i.unitId}  期限 ${i.dueDate}  ${kind === 'overdue' ? `逾期${i.daysLate}个工作日` : `剩${i.daysLeft}个工作日`}`,
    ),
  ]);
  return 0;
};

const exportXlsx: CommandHandler = async (ctx, out, [kind], o) => {
  if (!(EXPORT_KINDS as readonly string[]).includes(kind!)) throw new CliFailure(2, 'INVALID_INPUT', `导出类型应为：${EXPORT_KINDS.join('、')}`, 'kind');
  const actor = await ctx.actor();
  let file;
  try {
    file = await buildExport({ db: ctx.db, calendarNow: ctx.calendarNow }, actor, {
      kind: kind as ExportKind,
      session: typeof o.session === 'string' ? o.session : undefined,
      unit: typeof o.unit === 'string' ? o.unit : undefined,
      days: positiveInt(o.days, 'days', 1, 90),
    });
  } catch (err) {
    if (err instanceof ExportRefusal) throw new CliFailure(exitCodeOf(err.type), err.type, err.message, err.field);
    throw err;
  }
  if (o.out === '-') {
    // The workbook itself on stdout (for a pipe); what was written is said on stderr.
    out.bytes(file.bytes);
    out.note(`${file.filename}：${file.rows}行`);
    return 0;
  }
  const path = resolve(typeof o.out === 'string' ? o.out : file.filename);
  await writeFile(path, file.bytes);
  out.result({ kind: file.kind, file: path, rows: file.rows, bytes: file.bytes.length }, () => [`已导出 ${file.rows} 行：${path}`]);
  return 0;
};

const calendarImport: CommandHandler = async (ctx, out, [yearText, csvPath], o) => {
  const year = positiveInt(yearText, 'year', 2000, 2100)!;
  const csv = (await readInputFile(csvPath!, 'csv')).toString('utf8');
  const user = await ctx.user();
  if (!canEditCalendar(user)) throw new CliFailure(1, 'FORBIDDEN_ROLE', '只有管理员或交办单位可以维护节假日');
  const days = parseCalendarCsv(year, csv);
  if (!Array.isArray(days)) throw new CliFailure(2, 'INVALID_INPUT', days.message, days.field);
  if (o.dryRun === true) {
    const change = await previewCalendar(ctx.db, year, days);
    out.result({ year, dryRun: true, days: days.length, ...change }, () => [
      `${year}年：${days.length}天；新增${change.added.length}，删除${change.removed.length}，修改${change.changed.length}（预览，未保存）`,
    ]);
    return 0;
  }
  const saved = await saveCalendarYear(ctx.db, await ctx.proposals(), user, year, days);
  out.result(saved, () => [`已保存${year}年的${saved.days}天放假与调休安排，已通知${saved.signalled}件办理中的提案重新计算期限`]);
  return 0;
};

export function reportCommands(program: Command, wrap: (handler: CommandHandler) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('overdue')
    .description('逾期清单（--due-soon 为临期清单）；承办单位只看到本单位的')
    .option('--session <届次>', '只看该届次')
    .option('--unit <单位编号>', '只看该单位（交办单位、提案委员会）')
    .option('--due-soon', '临期清单：--days 天内到期的')
    .option('--days <n>', '临期清单的天数（默认7）')
    .option('--limit <n>', '最多几项（默认500）')
    .action(wrap(overdue));

  program
    .command('export <kind>')
    .description(`导出表格（.xlsx）：${EXPORT_KINDS.join('、')}，按身份可见`)
    .option('--out <path>', '保存到该文件（默认为当前文件夹下的中文文件名；- 为标准输出）')
    .option('--session <届次>', '只导出该届次')
    .option('--unit <单位编号>', '只导出该单位的')
    .option('--days <n>', 'due-soon 的天数（默认7）')
    .action(wrap(exportXlsx));

  const calendar = program.command('calendar').description('节假日安排');
  calendar
    .command('import <year> <csv>')
    .description('以 CSV（date,kind,name）导入某年的放假与调休安排，并通知办理中的提案重新计算期限')
    .option('--dry-run', '只预览变化，不保存')
    .action(wrap(calendarImport));
}
