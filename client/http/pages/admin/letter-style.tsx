import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { previewLetter, previewUnitLetter, saveLetterStyle, type Preview, type StyleProblem } from '../../../../activities/documents/preview.js';
import { getUnits } from '../../../../db/repositories/directory.js';
import { getStylePatches } from '../../../../db/repositories/letter-settings.js';
import type { AppDeps } from '../../env.js';
import { requireRole, requireSignIn, type PageContext, type PageEnv } from '../../middleware/session.js';
import { Button, TextArea } from '../fields.js';
import { readForm } from '../form-fields.js';
import { CsrfField, ErrorSummary, Layout, Notice, Paragraphs } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';

// 答复函格式, the administrator's page: the deployment's wording (and a unit's, over it) as the
// data the letter model reads — number pattern and kind word, committee and session wording,
// title and 收悉 forms, closing, contact line, 抄送, layout — written as JSON, always shown with
// the letter it makes and every problem by field before it is saved. The same checks as the API
// (/api/letter-style, /api/units/{id}/letter-style): what previews with a problem is never saved.

type Layer = 'deployment' | 'unit';

interface Form {
  unitId: string | null;
  unitName: string | null;
  texts: Record<Layer, string>;
  problems: StyleProblem[];
  preview: Preview | null;
  notice?: string;
}

const pretty = (value: unknown) => JSON.stringify(value ?? {}, null, 2);

/** The text typed into a layer's box as JSON, or the problem that stops it. */
function parseLayer(layer: Layer, text: string): { value: unknown } | { problem: StyleProblem } {
  if (text.trim() === '') return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    return { value };
  } catch (err) {
    return { problem: { field: layer, message: `${layer === 'unit' ? '单位格式' : '全局格式'}不是有效的 JSON：${err instanceof Error ? err.message : String(err)}` } };
  }
}

function StylePage(p: { c: PageContext; pd: PagesDeps; form: Form }) {
  const { form } = p;
  const action = `/admin/letter-style${form.unitId ? `?unit=${encodeURIComponent(form.unitId)}` : ''}`;
  const title = form.unitName ? `答复函格式：${form.unitName}` : '答复函格式（全局）';
  return (
    <Layout page={pageInfo(p.c, p.pd.mailViewer)} title={title} wide>
      <ErrorSummary
        items={form.problems.map((x) => ({ message: `${x.field ? `${x.field}：` : ''}${x.message}`, href: x.field === 'unit' ? 'style-unit' : 'style-deployment' }))}
        title={form.problems.length ? '格式有问题，没有保存' : undefined}
      />
      {form.notice ? <Notice kind="success">{form.notice}</Notice> : null}
      <h1>{title}</h1>
      <p>
        答复函的文号样式（前缀、机关代字如 提 / 提复 /
        提函、年份、序号、分类标识）、届次与委员会称谓、标题和“收悉”句式、结束语、联系人一行的措辞与位置、抄送及版式都是数据：在内置格式之上，先按全局格式，再按单位格式修改。先预览，没有问题才能保存。
      </p>
      <div class="columns">
        <div class="column-main">
          <form method="post" action={action} novalidate>
            <CsrfField token={p.c.get('csrf')} />
            {form.unitId ? (
              <p>
                全局格式（各单位共用）在<a href="/admin/letter-style">全局答复函格式</a>页修改；这里只改本单位在其上的部分。
              </p>
            ) : (
              <TextArea
                id="style-deployment"
                name="deployment"
                label="全局格式（JSON）"
                hint='例如 {"committee":"市政协","copies":{"to":["市府办","市政协提案委"]}}；留空为内置格式'
                rows={14}
                maxLength={20000}
                value={form.texts.deployment}
                noOptionalMark
              />
            )}
            {form.unitId ? (
              <TextArea
                id="style-unit"
                name="unit"
                label={`${form.unitName}的格式（JSON）`}
                hint='例如 {"issuer":"温州市科学技术局","contact":{"form":"联系人：{name}，联系电话：{phone}。"}}；留空则照全局格式'
                rows={10}
                maxLength={20000}
                value={form.texts.unit}
                noOptionalMark
              />
            ) : null}
            <Button kind="secondary" name="intent" value="preview">
              预览
            </Button>{' '}
            <Button name="intent" value="save">
              保存
            </Button>
          </form>
        </div>
        <div class="column-side">
          <h2>预览</h2>
          {form.preview?.text ? (
            <article class="letter" aria-label="答复函预览">
              <Paragraphs text={form.preview.text} />
            </article>
          ) : (
            <p>格式有问题时不能生成答复函，请先改正左侧列出的问题。</p>
          )}
        </div>
      </div>
      <p>
        <a href="/admin/units">返回承办单位</a>
      </p>
    </Layout>
  );
}

export function letterStyleRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;
  const guard = [requireSignIn(), requireRole(['admin'], (c) => notFoundPage(c, pd.mailViewer))] as const;

  /** The unit asked for in ?unit=, null for the deployment's page, undefined for a unit there is not. */
  const unitOf = async (c: PageContext) => {
    const id = c.req.query('unit');
    if (!id) return null;
    const [unit] = await getUnits(db, [id]);
    return unit ?? undefined;
  };
  const preview = (unitId: string | null, layers: Partial<Record<Layer, unknown>>) =>
    unitId
      ? previewUnitLetter(db, { unitId, deployment: layers.deployment, unit: layers.unit, withDocx: false })
      : previewLetter({ deployment: layers.deployment, withDocx: false });
  const show = (c: PageContext, form: Form, status: ContentfulStatusCode = 200) => render(c, <StylePage c={c} pd={pd} form={form} />, status);

  app.get('/admin/letter-style', ...guard, async (c) => {
    const unit = await unitOf(c);
    if (unit === undefined) return notFoundPage(c, pd.mailViewer, '没有这个单位。');
    const saved = await getStylePatches(db, unit?.id ?? null);
    const shown = await preview(unit?.id ?? null, {});
    return show(c, {
      unitId: unit?.id ?? null,
      unitName: unit?.name ?? null,
      texts: { deployment: pretty(saved.deployment), unit: pretty(saved.unit) },
      problems: shown.problems,
      preview: shown,
    });
  });

  app.post('/admin/letter-style', ...guard, async (c) => {
    const unit = await unitOf(c);
    if (unit === undefined) return notFoundPage(c, pd.mailViewer, '没有这个单位。');
    const unitId = unit?.id ?? null;
    const form = (await readForm(c)) ?? new URLSearchParams();
    // A unit's page edits the unit's layer only; the deployment's stays as saved.
    const layer: Layer = unitId ? 'unit' : 'deployment';
    const stored = await getStylePatches(db, unitId);
    const texts: Record<Layer, string> = unitId
      ? { deployment: pretty(stored.deployment), unit: String(form.get('unit') ?? '') }
      : { deployment: String(form.get('deployment') ?? ''), unit: '' };
    const base = { unitId, unitName: unit?.name ?? null, texts };
    const parsed = parseLayer(layer, texts[layer]);
    if ('problem' in parsed) return show(c, { ...base, problems: [parsed.problem], preview: null }, 422);
    const shown = await preview(unitId, { [layer]: parsed.value });
    if (form.get('intent') !== 'save' || shown.problems.length)
      return show(c, { ...base, problems: shown.problems, preview: shown }, shown.problems.length ? 422 : 200);
    const saved = await saveLetterStyle(db, { unitId, patch: parsed.value, userId: c.get('user').id, now: new Date().toISOString() });
    if (!saved.saved) return show(c, { ...base, problems: saved.problems, preview: shown }, 422);
    return show(c, { ...base, problems: [], preview: shown, notice: unitId ? `已保存${unit!.name}的答复函格式` : '已保存全局答复函格式' });
  });
}
