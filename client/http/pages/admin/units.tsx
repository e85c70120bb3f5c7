import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { UnitRow } from '../../../../db/schema.js';
import { setUnitRemit } from '../../../../activities/search/unit-remits.js';
import type { SignOffChain } from '../../../../workflows/shared/types.js';
import { chainOf, chainValues, SIGN_OFF_FIELDS, signOffFields } from './signoff-chain-fields.js';
import { text } from '../../../../workflows/proposal/inputs.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { doorIssues } from '../../problem.js';
import { Button, TextArea, TextInput } from '../fields.js';
import { readForm } from '../form-fields.js';
import { CsrfField, ErrorSummary, Layout, Notice, type ErrorItem } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';

// The administrator's units (承办单位): the list, a new unit, and each unit's names, reply-number
// prefix and contacts. Units are reference data, which the pages may write (DESIGN: the web
// layer writes reference data, never process tables). A unit's id is its key in every task and
// event, so it is chosen once and never changed. Letter settings have a page of their own
// (/admin/letter-style, admin/letter-style.tsx), linked from here.

const email = (label: string) => text(label, 200).trim().email(`${label}格式不正确，例如 office@example.gov.cn`);
const optional = (schema: z.ZodType<string>) => schema.optional();

const unitFields = {
  name: text('单位全称', 100).trim().min(2, '请填写单位全称'),
  shortName: text('简称', 40).trim().min(1, '请填写简称'),
  docPrefix: text('文号前缀', 20).trim().min(1, '请填写文号前缀，例如 浙发改'),
  email: email('单位邮箱'),
  leaderEmail: email('分管领导邮箱'),
  principalEmail: optional(email('主要负责人邮箱')),
  contactName: optional(text('联系人', 40).trim()),
  contactPhone: optional(
    text('联系电话', 40)
      .trim()
      .regex(/^[0-9+\-() ]{5,40}$/, '联系电话只能包含数字、空格和 + - ( )'),
  ),
  remit: optional(text('职责', 2000).trim()),
  ...signOffFields,
};
const createSchema = z.strictObject({
  id: text('单位编号', 60)
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,59}$/, '单位编号为2至60个小写字母、数字或连字符，例如 zj-fgw'),
  ...unitFields,
});
const editSchema = z.strictObject(unitFields);

const FIELDS: { name: keyof z.input<typeof createSchema>; label: string; hint?: string; type?: string; short?: boolean; required?: boolean; area?: boolean }[] = [
  { name: 'id', label: '单位编号', hint: '系统内的固定编号，建立后不能修改，例如 zj-fgw', short: true, required: true },
  { name: 'name', label: '单位全称', hint: '例如 浙江省发展和改革委员会', required: true },
  { name: 'shortName', label: '简称', hint: '例如 省发展改革委', short: true, required: true },
  { name: 'docPrefix', label: '文号前缀', hint: '答复文号的前缀，例如 浙发改（答复文号：浙发改提〔2026〕1号）', short: true, required: true },
  { name: 'email', label: '单位邮箱', hint: '联络员收到办理通知的邮箱', type: 'email', required: true },
  { name: 'leaderEmail', label: '分管领导邮箱', type: 'email', required: true },
  { name: 'principalEmail', label: '主要负责人邮箱', hint: '重点提案签发与督办时使用', type: 'email' },
  { name: 'contactName', label: '联系人', short: true },
  { name: 'contactPhone', label: '联系电话', short: true },
  {
    name: 'remit',
    label: '职责',
    hint: '单位负责的工作领域，用词写明（例如 义务教育、学前教育、职业教育、教师队伍建设、校园安全）；智能分办据此推荐承办单位',
    area: true,
  },
  ...SIGN_OFF_FIELDS,
];

type Values = Record<string, string>;

const chainJson = (chain: SignOffChain | null) => (chain ? JSON.stringify(chain) : null);

function valuesOf(u: UnitRow): Values {
  return {
    id: u.id,
    name: u.name,
    shortName: u.short_name,
    docPrefix: u.doc_prefix,
    email: u.email,
    leaderEmail: u.leader_email,
    principalEmail: u.principal_email ?? '',
    contactName: u.contact_name ?? '',
    contactPhone: u.contact_phone ?? '',
    remit: u.remit ?? '',
    ...chainValues(u.signoff_chain),
  };
}

function UnitFields(p: { prefix: string; values: Values; errors: Record<string, string>; withId: boolean }) {
  return (
    <>
      {FIELDS.filter((f) => p.withId || f.name !== 'id').map((f) =>
        f.area ? (
          <TextArea
            id={`${p.prefix}-${f.name}`}
            name={f.name}
            label={f.label}
            hint={f.hint}
            rows={3}
            maxLength={2000}
            value={p.values[f.name]}
            error={p.errors[f.name]}
          />
        ) : (
          <TextInput
            id={`${p.prefix}-${f.name}`}
            name={f.name}
            label={f.label}
            hint={f.hint}
            type={f.type ?? 'text'}
            width={f.short ? 'short' : 'full'}
            required={f.required ?? false}
            value={p.values[f.name]}
            error={p.errors[f.name]}
          />
        ),
      )}
    </>
  );
}

function UnitsPage(p: { c: PageContext; pd: PagesDeps; units: UnitRow[]; values: Values; errors: Record<string, string>; summary: ErrorItem[]; notice?: string }) {
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title="承办单位" wide>
      <ErrorSummary items={p.summary} title={p.summary.length ? '单位没有保存' : undefined} />
      {p.notice ? <Notice kind="success">{p.notice}</Notice> : null}
      <h1>承办单位</h1>
      <p>
        <a href="#new-unit">新建单位</a>
      </p>
      <table class="table responsive">
        <caption class="visually-hidden">承办单位列表</caption>
        <thead>
          <tr>
            <th scope="col">单位</th>
            <th scope="col">文号前缀</th>
            <th scope="col">邮箱</th>
            <th scope="col">联系人</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {p.units.map((u) => (
            <tr>
              <td data-label="单位">
                {u.name}
                <div class="hint">
                  {u.short_name} · {u.id}
                </div>
              </td>
              <td data-label="文号前缀">{u.doc_prefix}</td>
              <td data-label="邮箱">
                {u.email}
                <div class="hint">领导：{u.leader_email}</div>
              </td>
              <td data-label="联系人">{[u.contact_name, u.contact_phone].filter(Boolean).join(' ') || '—'}</td>
              <td data-label="操作">
                <a href={`/admin/units/${encodeURIComponent(u.id)}`}>
                  修改<span class="visually-hidden">{u.name}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/admin/letter-style">答复函格式（全局）</a>：文号样式、届次称谓、标题与“收悉”句式、结束语、联系人、抄送和版式；各单位的格式在其“修改”页。
      </p>
      <h2 id="new-unit">新建单位</h2>
      <form method="post" action="/admin/units" novalidate aria-labelledby="new-unit">
        <CsrfField token={p.c.get('csrf')} />
        <UnitFields prefix="unit" values={p.values} errors={p.errors} withId />
        <Button>新建单位</Button>
      </form>
    </Layout>
  );
}

function EditPage(p: { c: PageContext; pd: PagesDeps; unit: UnitRow; values: Values; errors: Record<string, string>; summary: ErrorItem[] }) {
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title={`修改单位：${p.unit.name}`}>
      <ErrorSummary items={p.summary} title={p.summary.length ? '单位没有保存' : undefined} />
      <span class="caption">单位编号 {p.unit.id}</span>
      <h1>修改单位：{p.unit.name}</h1>
      <form method="post" action={`/admin/units/${encodeURIComponent(p.unit.id)}`} novalidate>
        <CsrfField token={p.c.get('csrf')} />
        <UnitFields prefix="edit" values={p.values} errors={p.errors} withId={false} />
        <Button>保存</Button>
      </form>
      <p>
        <a href={`/admin/letter-style?unit=${encodeURIComponent(p.unit.id)}`}>本单位的答复函格式</a> · <a href="/admin/units">返回单位列表</a>
      </p>
    </Layout>
  );
}

function issuesOf(prefix: string, issues: { field: string; message: string }[]) {
  const errors: Record<string, string> = {};
  for (const i of issues) errors[i.field] ??= i.message;
  return { errors, summary: Object.entries(errors).map(([f, message]) => ({ message, href: `${prefix}-${f}` })) };
}

function columns(d: z.infer<typeof editSchema>) {
  return {
    name: d.name,
    short_name: d.shortName,
    doc_prefix: d.docPrefix,
    email: d.email,
    leader_email: d.leaderEmail,
    principal_email: d.principalEmail ?? null,
    contact_name: d.contactName || null,
    contact_phone: d.contactPhone || null,
    signoff_chain: chainJson(chainOf(d)),
  };
}

export function unitAdminRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;
  const guard = [requireSignIn(), requireRole(['admin'], (c) => notFoundPage(c, pd.mailViewer))] as const;
  const list = () => db.selectFrom('units').selectAll().orderBy('name').execute();
  const show = async (
    c: PageContext,
    extra: { values?: Values; issues?: { field: string; message: string }[]; notice?: string },
    status: ContentfulStatusCode = 200,
  ) => {
    const { errors, summary } = issuesOf('unit', extra.issues ?? []);
    return render(c, <UnitsPage c={c} pd={pd} units={await list()} values={extra.values ?? {}} errors={errors} summary={summary} notice={extra.notice} />, status);
  };
  const formValues = async (c: PageContext) => {
    const form = (await readForm(c))!;
    const values: Values = Object.fromEntries(FIELDS.map((f) => [f.name, (form.get(f.name) ?? '').trim()]));
    const raw = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    return { values, raw };
  };

  app.get('/admin/units', ...guard, (c) => show(c, {}));

  app.post('/admin/units', ...guard, async (c) => {
    const { values, raw } = await formValues(c);
    const parsed = createSchema.safeParse(raw);
    if (!parsed.success) return show(c, { values, issues: doorIssues(parsed.error) }, 422);
    const d = parsed.data;
    const taken = await db
      .selectFrom('units')
      .select(['id', 'name'])
      .where((eb) => eb.or([eb('id', '=', d.id), eb('name', '=', d.name)]))
      .executeTakeFirst();
    if (taken) {
      const issue =
        taken.id === d.id ? { field: 'id', message: `单位编号 ${d.id} 已被「${taken.name}」使用` } : { field: 'name', message: `已经有名为「${d.name}」的单位` };
      return show(c, { values, issues: [issue] }, 409);
    }
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('units')
        .values({ id: d.id, ...columns(d) })
        .execute();
      await setUnitRemit(trx, d.id, d.remit ?? null);
    });
    return show(c, { notice: `已新建单位「${d.name}」` });
  });

  app.get('/admin/units/:id', ...guard, async (c) => {
    const unit = await db.selectFrom('units').selectAll().where('id', '=', c.req.param('id')).executeTakeFirst();
    if (!unit) return notFoundPage(c, pd.mailViewer, '没有这个单位。');
    return render(c, <EditPage c={c} pd={pd} unit={unit} values={valuesOf(unit)} errors={{}} summary={[]} />);
  });

  app.post('/admin/units/:id', ...guard, async (c) => {
    const unit = await db.selectFrom('units').selectAll().where('id', '=', c.req.param('id')).executeTakeFirst();
    if (!unit) return notFoundPage(c, pd.mailViewer, '没有这个单位。');
    const { values, raw } = await formValues(c);
    delete raw.id;
    const parsed = editSchema.safeParse(raw);
    const clash =
      parsed.success && parsed.data.name !== unit.name
        ? await db.selectFrom('units').select('id').where('name', '=', parsed.data.name).where('id', '<>', unit.id).executeTakeFirst()
        : undefined;
    if (!parsed.success || clash) {
      const issues = parsed.success ? [{ field: 'name', message: `已经有名为「${parsed.data.name}」的单位` }] : doorIssues(parsed.error);
      const { errors, summary } = issuesOf('edit', issues);
      return render(c, <EditPage c={c} pd={pd} unit={unit} values={values} errors={errors} summary={summary} />, parsed.success ? 409 : 422);
    }
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('units').set(columns(parsed.data)).where('id', '=', unit.id).execute();
      await setUnitRemit(trx, unit.id, parsed.data.remit ?? null);
    });
    return show(c, { notice: `已保存单位「${parsed.data.name}」` });
  });
}
