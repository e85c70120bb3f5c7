import type { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { UserRow } from '../../../../db/schema.js';
import { text } from '../../../../workflows/proposal/inputs.js';
import { roleLabel } from '../../../../workflows/proposal/state.js';
import type { Role } from '../../../../workflows/shared/types.js';
import { hashPassword, logoutEverywhere } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { doorIssues } from '../../problem.js';
import { readForm } from '../form-fields.js';
import { Button, Select, TextInput } from '../fields.js';
import { CsrfField, ErrorSummary, Layout, Notice, type ErrorItem } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import { allUnits } from '../shared/proposal-data.js';

// The administrator's users: create, disable or enable, reset a password (a one-time password
// shown once; the person must choose their own at the next sign-in), and assign role and unit.
// Disabling, resetting or changing someone's role ends all their sessions at once.

const ROLES: Role[] = ['office', 'committee', 'liaison', 'leader', 'principal', 'proposer', 'admin'];
const UNIT_ROLES: Role[] = ['liaison', 'leader', 'principal'];

const roleFields = {
  role: z.enum(ROLES as [Role, ...Role[]], { error: '请选择角色' }),
  unitId: text('单位', 100).optional(),
  proposerId: z.coerce.number({ error: '提案者编号必须是整数' }).int('提案者编号必须是整数').positive('提案者编号必须是正整数').optional(),
};
const createSchema = z.strictObject({
  username: text('用户名', 100).regex(/^[A-Za-z0-9_.-]{3,100}$/, '用户名为3至100个字母、数字或 _ . -'),
  displayName: text('姓名', 100).trim().min(1, '请填写姓名'),
  email: text('邮箱', 200).trim().email('邮箱格式不正确').optional(),
  ...roleFields,
});
const assignSchema = z.strictObject(roleFields);

function roleProblem(role: Role, unitId: string | undefined, proposerId: number | undefined): { field: string; message: string } | null {
  if (UNIT_ROLES.includes(role) && !unitId) return { field: 'unitId', message: `${roleLabel(role)}必须选择所属单位` };
  if (!UNIT_ROLES.includes(role) && unitId) return { field: 'unitId', message: `${roleLabel(role)}不属于承办单位，请不要选择单位` };
  if (role === 'proposer' && !proposerId) return { field: 'proposerId', message: '提案者账户须填写对应的提案者编号' };
  if (role !== 'proposer' && proposerId) return { field: 'proposerId', message: '只有提案者账户填写提案者编号' };
  return null;
}

const oneTimePassword = () => randomBytes(9).toString('base64url');

const LIST_LIMIT = 200;

function UsersPage(p: {
  c: PageContext;
  pd: PagesDeps;
  users: UserRow[];
  more: boolean;
  filter: { q: string; role: Role | undefined };
  units: { id: string; name: string }[];
  errors: ErrorItem[];
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
  notice?: string;
}) {
  const csrf = p.c.get('csrf');
  const unitChoices = p.units.map((u) => ({ value: u.id, label: u.name }));
  const roleChoices = ROLES.map((r) => ({ value: r, label: roleLabel(r) }));
  const unitName = new Map(p.units.map((u) => [u.id, u.name]));
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title="用户" wide>
      <ErrorSummary items={p.errors} />
      {p.notice ? <Notice kind="success">{p.notice}</Notice> : null}
      <h1>用户</h1>
      <p>
        <a href="#new-user">新建用户</a>
      </p>
      <form method="get" action="/admin/users" class="filters" role="search" aria-label="筛选用户">
        <TextInput noOptionalMark id="f-q" name="q" label="用户名或姓名" value={p.filter.q} />
        <Select noOptionalMark id="f-role" name="role" label="角色" choices={roleChoices} selected={p.filter.role} placeholder="全部角色" />
        <Button kind="secondary">筛选</Button>
      </form>
      {p.more ? <p class="hint">只显示前{LIST_LIMIT}个用户，请用上面的条件缩小范围。</p> : null}
      <table class="table responsive">
        <caption class="visually-hidden">用户列表</caption>
        <thead>
          <tr>
            <th scope="col">用户名</th>
            <th scope="col">姓名</th>
            <th scope="col">角色与单位</th>
            <th scope="col">状态</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {p.users.map((u) => (
            <tr>
              <td data-label="用户名">{u.username}</td>
              <td data-label="姓名">{u.display_name}</td>
              <td data-label="角色与单位">
                {roleLabel(u.role)}
                {u.unit_id ? `：${unitName.get(u.unit_id) ?? u.unit_id}` : ''}
                {u.proposer_id ? `（提案者 #${u.proposer_id}）` : ''}
              </td>
              <td data-label="状态">{u.disabled ? '已停用' : u.must_change_password ? '待本人设置密码' : '正常'}</td>
              <td data-label="操作">
                <form method="post" action={`/admin/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`} class="inline-form">
                  <CsrfField token={csrf} />
                  <button type="submit" class="link-button">
                    {u.disabled ? '启用' : '停用'}
                    <span class="visually-hidden">{u.username}</span>
                  </button>
                </form>
                <form method="post" action={`/admin/users/${u.id}/reset`} class="inline-form">
                  <CsrfField token={csrf} />
                  <button type="submit" class="link-button">
                    重置密码<span class="visually-hidden">{u.username}</span>
                  </button>
                </form>
                <details class="inline-details">
                  <summary>
                    调整角色和单位<span class="visually-hidden">{u.username}</span>
                  </summary>
                  <form method="post" action={`/admin/users/${u.id}/assign`} novalidate>
                    <CsrfField token={csrf} />
                    <Select id={`u${u.id}-role`} name="role" label="角色" required choices={roleChoices} selected={u.role} />
                    <Select
                      id={`u${u.id}-unitId`}
                      name="unitId"
                      label="单位（承办单位人员）"
                      choices={unitChoices}
                      selected={u.unit_id ?? undefined}
                      placeholder="无"
                    />
                    <TextInput
                      id={`u${u.id}-proposerId`}
                      name="proposerId"
                      label="提案者编号（提案者账户）"
                      inputmode="numeric"
                      width="short"
                      value={u.proposer_id ? String(u.proposer_id) : ''}
                    />
                    <Button kind="secondary">保存</Button>
                  </form>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="new-user">新建用户</h2>
      <form method="post" action="/admin/users" novalidate aria-labelledby="new-user">
        <CsrfField token={csrf} />
        <TextInput id="username" name="username" label="用户名" required value={p.values.username} error={p.fieldErrors.username} />
        <TextInput id="displayName" name="displayName" label="姓名" required value={p.values.displayName} error={p.fieldErrors.displayName} />
        <TextInput id="email" name="email" label="邮箱" type="email" value={p.values.email} error={p.fieldErrors.email} />
        <Select id="role" name="role" label="角色" required choices={roleChoices} selected={p.values.role} error={p.fieldErrors.role} />
        <Select
          id="unitId"
          name="unitId"
          label="单位（承办单位人员必选）"
          choices={unitChoices}
          selected={p.values.unitId}
          error={p.fieldErrors.unitId}
          placeholder="无"
        />
        <TextInput
          id="proposerId"
          name="proposerId"
          label="提案者编号（提案者账户必填）"
          inputmode="numeric"
          width="short"
          value={p.values.proposerId}
          error={p.fieldErrors.proposerId}
        />
        <p class="hint">新建后页面会显示一次性密码，请当面或电话告知本人；本人首次登录后须设置自己的密码。</p>
        <Button>新建用户</Button>
      </form>
    </Layout>
  );
}

export function adminRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;
  const guard = [requireSignIn(), requireRole(['admin'], (c) => notFoundPage(c, pd.mailViewer))] as const;
  const show = async (c: PageContext, extra: Partial<Parameters<typeof UsersPage>[0]> = {}, status: 200 | 422 = 200) => {
    // A deployment has a few hundred accounts: filtered by words and role, at most LIST_LIMIT shown.
    const words = (c.req.query('q') ?? '').trim().slice(0, 100);
    const role = ROLES.find((r) => r === c.req.query('role'));
    let q = db.selectFrom('users').selectAll();
    if (words) q = q.where((eb) => eb.or([eb('username', 'ilike', `%${words}%`), eb('display_name', 'ilike', `%${words}%`)]));
    if (role) q = q.where('role', '=', role);
    const [users, units] = await Promise.all([
      q
        .orderBy('role')
        .orderBy('username')
        .limit(LIST_LIMIT + 1)
        .execute(),
      allUnits(db),
    ]);
    return render(
      c,
      <UsersPage
        c={c}
        pd={pd}
        users={users.slice(0, LIST_LIMIT)}
        more={users.length > LIST_LIMIT}
        filter={{ q: words, role }}
        units={units}
        errors={[]}
        fieldErrors={{}}
        values={{}}
        {...extra}
      />,
      status,
    );
  };
  const fields = async (c: PageContext) => {
    const form = (await readForm(c))!;
    const values = Object.fromEntries(Object.entries(form.values()).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v).trim()]));
    return { values, raw: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')) };
  };
  const invalid = (c: PageContext, values: Record<string, string>, issues: { field: string; message: string }[]) => {
    const fieldErrors: Record<string, string> = {};
    for (const i of issues) fieldErrors[i.field] ??= i.message;
    return show(c, { values, fieldErrors, errors: Object.entries(fieldErrors).map(([f, message]) => ({ message, href: f })) }, 422);
  };

  app.get('/admin/users', ...guard, (c) => show(c));

  app.post('/admin/users', ...guard, async (c) => {
    const { values, raw } = await fields(c);
    const parsed = createSchema.safeParse(raw);
    if (!parsed.success) return invalid(c, values, doorIssues(parsed.error));
    const u = parsed.data;
    const wrong = roleProblem(u.role, u.unitId, u.proposerId);
    if (wrong) return invalid(c, values, [wrong]);
    if (await db.selectFrom('users').select('id').where('username', '=', u.username).executeTakeFirst())
      return invalid(c, values, [{ field: 'username', message: '这个用户名已经有人使用' }]);
    const password = oneTimePassword();
    await db
      .insertInto('users')
      .values({
        username: u.username,
        display_name: u.displayName,
        email: u.email ?? null,
        role: u.role,
        unit_id: u.unitId ?? null,
        proposer_id: u.proposerId ?? null,
        password_hash: await hashPassword(password),
        must_change_password: true,
      })
      .execute();
    return show(c, { notice: `已新建用户 ${u.username}，一次性密码：${password}（只显示这一次）` });
  });

  app.post('/admin/users/:id/:op', ...guard, async (c) => {
    const id = Number(c.req.param('id'));
    const user = Number.isInteger(id) ? await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    if (!user) return notFoundPage(c, pd.mailViewer);
    const op = c.req.param('op');
    if (op === 'disable' || op === 'enable') {
      if (user.id === c.get('user').id) return show(c, { errors: [{ message: '不能停用自己的账户' }] }, 422);
      await db
        .updateTable('users')
        .set({ disabled: op === 'disable' })
        .where('id', '=', id)
        .execute();
      if (op === 'disable') await logoutEverywhere(db, id);
      return show(c, { notice: `已${op === 'disable' ? '停用' : '启用'}用户 ${user.username}` });
    }
    if (op === 'reset') {
      const password = oneTimePassword();
      await db
        .updateTable('users')
        .set({ password_hash: await hashPassword(password), must_change_password: true })
        .where('id', '=', id)
        .execute();
      await logoutEverywhere(db, id);
      return show(c, { notice: `已重置 ${user.username} 的密码，一次性密码：${password}（只显示这一次），其所有登录已失效` });
    }
    if (op === 'assign') {
      const { raw } = await fields(c);
      const parsed = assignSchema.safeParse(raw);
      const wrong = parsed.success ? roleProblem(parsed.data.role, parsed.data.unitId, parsed.data.proposerId) : (doorIssues(parsed.error)[0] ?? null);
      if (!parsed.success || wrong) return show(c, { errors: [{ message: `${user.username}：${wrong?.message ?? '输入无效'}` }] }, 422);
      await db
        .updateTable('users')
        .set({ role: parsed.data.role, unit_id: parsed.data.unitId ?? null, proposer_id: parsed.data.proposerId ?? null })
        .where('id', '=', id)
        .execute();
      await logoutEverywhere(db, id);
      return show(c, { notice: `已调整 ${user.username} 的角色和单位，其所有登录已失效` });
    }
    return notFoundPage(c, pd.mailViewer);
  });
}
