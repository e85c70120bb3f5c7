import { readFile } from 'node:fs/promises';
import type { ProposalRow } from '../../db/schema.js';
import { proposalWorkflowId } from '../../workflows/shared/ids.js';
import type { Actor } from '../../workflows/shared/types.js';
import { findVisibleProposal, NOT_VISIBLE_MESSAGE } from '../read/visibility.js';
import type { CliContext } from './context.js';
import { CliFailure, type ExitCode, type Output } from './output.js';

// Pieces every command uses: reading a file the person named, finding a proposal through the
// one visibility rule, and the shape of a command's handler.

export type CommandHandler = (ctx: CliContext, out: Output, args: string[], opts: Record<string, unknown>) => Promise<ExitCode>;

/** The bytes of a file named on the command line; an unreadable one is bad input (2). */
export async function readInputFile(path: string, field = 'file'): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EISDIR' ? '这是一个文件夹' : code === 'EACCES' ? '没有读取权限' : (err as Error).message;
    throw new CliFailure(2, 'INVALID_INPUT', `无法读取 ${path}：${why}`, field);
  }
}

/** A workflow id as given (proposal:届次:登记号), or built from a receipt number and --session. */
export function workflowIdOf(id: string, session: unknown): string {
  if (id.startsWith('proposal:')) return id;
  if (typeof session === 'string' && session) return proposalWorkflowId(session, id);
  throw new CliFailure(2, 'INVALID_INPUT', `「${id}」不是流程编号（proposal:届次:登记号）；用登记号时请同时给出 --session <届次>`, 'id');
}

/** The proposal if this person may see it; otherwise the same refusal as the API's 404. */
export async function visibleProposal(ctx: CliContext, actor: Actor, workflowId: string): Promise<ProposalRow> {
  const row = await findVisibleProposal(ctx.db, actor, workflowId);
  if (!row) throw new CliFailure(1, 'NOT_FOUND', NOT_VISIBLE_MESSAGE, 'id');
  return row;
}

/** "第5行「提案者」：…" lines for a list of row problems. */
export function problemLines(errors: { where: string; column?: string; field?: string; message: string }[]): string[] {
  return errors.map((e) => `${e.where}${e.column ? `「${e.column}」` : e.field ? `（${e.field}）` : ''}：${e.message}`);
}
