import { Hono, type Context } from 'hono';
import { shanghaiDate } from '../../workflows/shared/dates.js';
import { getCookie } from 'hono/cookie';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { putText } from '../../db/repositories/blobs.js';
import { listEvents } from '../../db/repositories/events.js';
import type { Database, UserRow } from '../../db/schema.js';
import { readCaughtMail } from '../../scripts/lib/mail-catcher.js';
import { proposalWorkflowId } from '../../workflows/proposal/definitions.js';
import { ACTION_TABLE, isActionName, STAGE_LABELS, type ActionName } from '../../workflows/proposal/machine.js';
import { parseActionInput } from '../../workflows/proposal/parse.js';
import type { Stage } from '../../workflows/shared/types.js';
import type { ProposalClient } from '../temporal.js';
import { actorOf, login, logout, userForToken } from './auth.js';
import { problemFromError } from './errors.js';
import { registerBatchRoutes } from './batch-routes.js';
import { registerDeadlineRoutes } from './deadline-routes.js';
import { registerFeedbackRoutes } from './feedback-routes.js';
import type { FeedbackLinks } from '../../activities/feedback-link.js';
import { loginSchema, registrationSchema, zodProblem } from './schemas.js';

export interface AppDeps {
  db: Kysely<Database>;
  proposals: ProposalClient;
  feedbackLinks: FeedbackLinks;
  mailCatcherDir?: string | undefined;
}

type Env = { Variables: { user: UserRow } };

const STAFF_ROLES = new Set(['office', 'committee', 'admin']);
const UNIT_ROLES = new Set(['liaison', 'leader', 'principal']);

function idempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  return key && /^[\w:.-]{8,200}$/.test(key) ? key : undefined;
}

async function jsonBody(c: Context): Promise<Record<string, unknown> | Response> {
  try {
    const body: unknown = await c.req.json();
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return c.json({ error: 'INVALID_INPUT', message: '请求体必须是 JSON 对象', field: '' }, 422);
    }
    return body as Record<string, unknown>;
  } catch {
    return c.json({ error: 'INVALID_INPUT', message: '请求体不是有效的 JSON', field: '' }, 400);
  }
}

/** The HTTP API. It reads the projection directly and changes process state only through workflows. */
export function createApp(deps: AppDeps): Hono<Env> {
  const { db, proposals } = deps;
  const app = new Hono<Env>();

  app.onError((err, c) => {
    const problem = problemFromError(err);
    if (problem.status === 500) console.error('[http]', err);
    return c.json(problem.body, problem.status);
  });

  app.get('/healthz', async (c) => {
    await db.selectFrom('sessions').select('code').limit(1).execute();
    return c.json({ ok: true });
  });

  app.post('/api/login', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const parsed = loginSchema.safeParse(body);
    if (!parsed.success) return c.json(zodProblem(parsed.error), 422);
    const result = await login(db, parsed.data.username, parsed.data.password);
    if (!result) return c.json({ error: 'UNAUTHENTICATED', message: '用户名或密码不正确' }, 401);
    c.header('Set-Cookie', `banli_session=${result.token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200`);
    return c.json({ token: result.token, user: publicUser(result.user) });
  });

  registerFeedbackRoutes(app, proposals, deps.feedbackLinks);

  // Everything below needs an authenticated user.
  app.use('/api/*', async (c, next) => {
    const header = c.req.header('authorization');
    const token = header?.startsWith('Bearer ') ? header.slice(7) : getCookie(c, 'banli_session');
    const user = token ? await userForToken(db, token) : null;
    if (!user) return c.json({ error: 'UNAUTHENTICATED', message: '请先登录' }, 401);
    c.set('user', user);
    await next();
  });

  app.post('/api/logout', async (c) => {
    const header = c.req.header('authorization');
    const token = header?.startsWith('Bearer ') ? header.slice(7) : getCookie(c, 'banli_session');
    if (token) await logout(db, token);
    return c.json({ ok: true });
  });

  app.get('/api/me', (c) => c.json(publicUser(c.get('user'))));

  app.put('/api/me/preferences', async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    if (typeof body.dailyDigest !== 'boolean') return c.json({ error: 'INVALID_INPUT', message: 'dailyDigest 必须是 true 或 false', field: 'dailyDigest' }, 422);
    await db.updateTable('users').set({ daily_digest: body.dailyDigest }).where('id', '=', c.get('user').id).execute();
    return c.json({ dailyDigest: body.dailyDigest });
  });

  registerBatchRoutes(app, db, proposals);
  registerDeadlineRoutes(app, db, proposals);

  app.post('/api/proposals', async (c) => {
    const user = c.get('user');
    if (user.role !== 'office' && user.role !== 'committee') {
      return c.json({ error: 'FORBIDDEN_ROLE', message: '只有交办单位或提案委员会可以登记提案' }, 403);
    }
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const parsed = registrationSchema.safeParse(body);
    if (!parsed.success) return c.json(zodProblem(parsed.error), 422);
    const input = parsed.data;
    const session = await db.selectFrom('sessions').select('code').where('code', '=', input.sessionCode).executeTakeFirst();
    if (!session) return c.json({ error: 'INVALID_INPUT', message: `届次「${input.sessionCode}」不存在，请先由管理员建立`, field: 'sessionCode' }, 422);
    const bodyHash = await putText(db, input.body);
    const view = await proposals.register(
      {
        actor: actorOf(user),
        sessionCode: input.sessionCode,
        receiptNo: input.receiptNo,
        title: input.title,
        bodyHash,
        topic: input.topic ?? null,
        proposerKind: input.proposerKind,
        proposers: input.proposers,
        receivedDate: input.receivedDate ?? shanghaiDate(new Date().toISOString()),
      },
      idempotencyKey(c),
    );
    return c.json({ workflowId: view.workflowId, proposal: view }, 201);
  });

  app.get('/api/proposals', async (c) => {
    const user = c.get('user');
    let query = db.selectFrom('proposals').selectAll();
    if (UNIT_ROLES.has(user.role)) query = query.where('unit_ids', '@>', [user.unit_id!] as never);
    else if (user.role === 'proposer') {
      query = query.where('workflow_id', 'in', db.selectFrom('proposal_proposers').select('workflow_id').where('proposer_id', '=', user.proposer_id!));
    } else if (!STAFF_ROLES.has(user.role)) return c.json({ error: 'FORBIDDEN_ROLE', message: '无权查看' }, 403);
    const session = c.req.query('session');
    const stage = c.req.query('stage');
    if (session) query = query.where('session_code', '=', session);
    if (stage) query = query.where('stage', '=', stage);
    const limit = Math.min(Number(c.req.query('limit') ?? 100) || 100, 500);
    const offset = Math.max(Number(c.req.query('offset') ?? 0) || 0, 0);
    const rows = await query.orderBy('created_at', 'desc').limit(limit).offset(offset).execute();
    return c.json({ items: rows });
  });

  const visibleProposal = async (c: Context<Env>) => {
    const user = c.get('user');
    const workflowId = c.req.param('id')!;
    const row = await db.selectFrom('proposals').selectAll().where('workflow_id', '=', workflowId).executeTakeFirst();
    if (!row) return null;
    if (STAFF_ROLES.has(user.role)) return row;
    if (UNIT_ROLES.has(user.role)) {
      const task = await db.selectFrom('unit_tasks').select('id').where('workflow_id', '=', workflowId).where('unit_id', '=', user.unit_id!).executeTakeFirst();
      return task ? row : null;
    }
    if (user.role === 'proposer') {
      const link = await db
        .selectFrom('proposal_proposers')
        .select('proposer_id')
        .where('workflow_id', '=', workflowId)
        .where('proposer_id', '=', user.proposer_id!)
        .executeTakeFirst();
      return link ? row : null;
    }
    return null;
  };

  app.get('/api/proposals/:id', async (c) => {
    const row = await visibleProposal(c);
    if (!row) return c.json({ error: 'NOT_FOUND', message: '没有找到该提案，或你无权查看' }, 404);
    const tasks = await db.selectFrom('unit_tasks').selectAll().where('workflow_id', '=', row.workflow_id).orderBy('id').execute();
    const live = await proposals.state(row.workflow_id).catch(() => null);
    return c.json({ proposal: row, tasks, live });
  });

  app.get('/api/proposals/:id/events', async (c) => {
    const row = await visibleProposal(c);
    if (!row) return c.json({ error: 'NOT_FOUND', message: '没有找到该提案，或你无权查看' }, 404);
    return c.json({ items: await listEvents(db, row.workflow_id) });
  });

  app.post('/api/proposals/:id/actions/:action', async (c) => {
    const user = c.get('user');
    const action = c.req.param('action');
    if (!isActionName(action)) return c.json({ error: 'NOT_FOUND', message: `没有「${action}」这个操作` }, 404);
    // Who may act on it (role, unit, proposer) is the workflow's own check; here only that it exists.
    const target = await db.selectFrom('proposals').select('workflow_id').where('workflow_id', '=', c.req.param('id')).executeTakeFirst();
    if (!target) return c.json({ error: 'NOT_FOUND', message: '没有找到该提案' }, 404);
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    return runAction(c, target.workflow_id, action, body);
  });

  /** Stores the action's long texts (the workflow sees their hashes), parses its fields with the table's schema, and runs it. */
  async function runAction<K extends ActionName>(c: Context<Env>, workflowId: string, action: K, body: Record<string, unknown>) {
    const fields: Record<string, unknown> = { ...body };
    delete fields.actor;
    const texts: Readonly<Record<string, string>> = ('texts' in ACTION_TABLE[action] ? ACTION_TABLE[action].texts : undefined) ?? {};
    for (const [textField, hashField] of Object.entries(texts)) {
      const value = fields[textField];
      delete fields[textField];
      if (typeof value === 'string' && value.trim()) fields[hashField] = await putText(db, value.trim());
    }
    const parsed = parseActionInput(action, fields);
    if (!parsed.ok) {
      const first = parsed.issues[0]!;
      return c.json({ error: 'INVALID_INPUT', message: first.field ? `${first.field}：${first.message}` : first.message, field: first.field, issues: parsed.issues }, 422);
    }
    try {
      const view = await proposals.act(workflowId, action, actorOf(c.get('user')), parsed.value, idempotencyKey(c) ?? `${action}:${randomUUID()}`);
      return c.json({ proposal: view });
    } catch (err) {
      const problem = problemFromError(err);
      // A finished workflow no longer takes updates: say why in the proposal's own terms.
      if (problem.status === 404) {
        const finished = await db.selectFrom('proposals').select('stage').where('workflow_id', '=', workflowId).executeTakeFirst();
        if (finished) {
          return c.json({ error: 'WRONG_STAGE', message: `提案已「${STAGE_LABELS[finished.stage as Stage] ?? finished.stage}」，办理流程已结束，不能再「${ACTION_TABLE[action].label}」` }, 409);
        }
      }
      throw err;
    }
  }

  app.get('/api/dev/mail', (c) => {
    const user = c.get('user');
    if (!STAFF_ROLES.has(user.role)) return c.json({ error: 'FORBIDDEN_ROLE', message: '只有办公厅和管理员可以查看本地邮件' }, 403);
    if (!deps.mailCatcherDir) return c.json({ error: 'NOT_FOUND', message: '未使用本地邮件接收器（SMTP_URL 指向真实服务器）' }, 404);
    return c.json({ items: readCaughtMail(deps.mailCatcherDir).reverse() });
  });

  app.get('/api/workflow-id', (c) => {
    const session = c.req.query('session');
    const receipt = c.req.query('receipt');
    if (!session || !receipt) return c.json({ error: 'INVALID_INPUT', message: '需要 session 和 receipt 参数', field: session ? 'receipt' : 'session' }, 422);
    return c.json({ workflowId: proposalWorkflowId(session, receipt) });
  });

  return app;
}

function publicUser(user: UserRow) {
  return { id: user.id, username: user.username, displayName: user.display_name, role: user.role, unitId: user.unit_id, proposerId: user.proposer_id, dailyDigest: user.daily_digest };
}
