import type { Hono } from 'hono';
import { getText } from '../../../../db/repositories/blobs.js';
import { diffCounts, diffText, type DiffPart } from '../../../read/text-diff.js';
import { audienceOf, findVisibleProposal } from '../../../read/visibility.js';
import { actorOf } from '../../auth.js';
import type { AppDeps } from '../../env.js';
import { requireSignIn, type PageEnv } from '../../middleware/session.js';
import { cnDateTime, Layout, Notice } from '../layout.js';
import { notFoundPage, pageInfo, render, type PagesDeps } from '../render.js';
import type { ProposalPageData } from './proposal-data.js';

// 答复稿修改对照: a unit's reply draft against the version before it, changes marked character
// by character, for the unit's liaison and leaders (their own unit's drafts only, as on the
// proposal's page) and the office and committee (any unit's). Proposers never see drafts.

function DiffText(p: { parts: DiffPart[] }) {
  return (
    <div class="diff-text">
      {p.parts.map((part) =>
        part.kind === 'same' ? (
          part.text
        ) : part.kind === 'added' ? (
          <ins>
            <span class="visually-hidden">［新增：</span>
            {part.text}
            <span class="visually-hidden">］</span>
          </ins>
        ) : (
          <del>
            <span class="visually-hidden">［删除：</span>
            {part.text}
            <span class="visually-hidden">］</span>
          </del>
        ),
      )}
    </div>
  );
}

const versionsHref = (workflowId: string, unitId?: string, version?: number) => {
  const q = new URLSearchParams({ ...(unitId ? { unit: unitId } : {}), ...(version ? { v: String(version) } : {}) }).toString();
  return `/proposals/${encodeURIComponent(workflowId)}/versions${q ? `?${q}` : ''}`;
};

/** On the proposal's page: a link here once a unit has two drafts or more (the page's drafts are already the reader's own). */
export function VersionDiffLink(p: { data: ProposalPageData }) {
  const counts = new Map<string, number>();
  for (const d of p.data.drafts) counts.set(d.unitId, Math.max(counts.get(d.unitId) ?? 0, d.version));
  const units = [...counts].filter(([, n]) => n >= 2);
  if (units.length === 0) return null;
  return (
    <ul class="version-links">
      {units.map(([unitId, n]) => (
        <li>
          <a href={versionsHref(p.data.row.workflow_id, unitId, n)}>
            比较答复稿修改：{units.length > 1 ? `${p.data.unitNames.get(unitId) ?? unitId} ` : ''}第{n}版与第{n - 1}版
          </a>
        </li>
      ))}
    </ul>
  );
}

export function versionDiffRoutes(app: Hono<PageEnv>, deps: AppDeps, pd: PagesDeps): void {
  const { db } = deps;

  app.get('/proposals/:id/versions', requireSignIn(), async (c) => {
    const viewer = actorOf(c.get('user'));
    const audience = audienceOf(viewer);
    const row = audience === 'proposer' ? null : await findVisibleProposal(db, viewer, c.req.param('id'));
    if (!row) return notFoundPage(c, pd.mailViewer, '没有找到该提案，或您无权查看。');
    // A unit reads its own drafts only; staff name the unit (the lead's by default).
    const unitId = audience === 'unit' ? viewer.unitId : (c.req.query('unit') ?? row.lead_unit_id);
    const versions = unitId
      ? await db
          .selectFrom('reply_versions as v')
          .leftJoin('users as u', 'u.id', 'v.author_user_id')
          .select(['v.version', 'v.body_hash', 'v.reply_class', 'v.change_note', 'v.created_at', 'u.display_name'])
          .where('v.workflow_id', '=', row.workflow_id)
          .where('v.unit_id', '=', unitId)
          .where('v.round', '=', row.rehandling_round)
          .orderBy('v.version')
          .execute()
      : [];
    const asked = Number(c.req.query('v'));
    const later = versions.find((v) => v.version === asked) ?? versions.at(-1);
    const earlier = later ? versions.filter((v) => v.version < later.version).at(-1) : undefined;
    const title = '答复稿修改对照';
    const back = `/proposals/${encodeURIComponent(row.workflow_id)}`;
    if (!later || !earlier) {
      return render(
        c,
        <Layout page={pageInfo(c, pd.mailViewer)} title={title}>
          <h1>{title}</h1>
          <p>这件提案{unitId ? '该单位' : ''}的答复稿还没有两个版本，无可比较。</p>
          <p>
            <a href={back}>返回提案</a>
          </p>
        </Layout>,
      );
    }
    const [before, after] = await Promise.all([getText(db, earlier.body_hash), getText(db, later.body_hash)]);
    const parts = diffText(before ?? '', after ?? '');
    const counts = diffCounts(parts);
    const unitName = unitId ? ((await db.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirst())?.name ?? unitId) : '';
    return render(
      c,
      <Layout page={pageInfo(c, pd.mailViewer)} title={title} wide>
        <span class="caption">{row.title}</span>
        <h1>{title}</h1>
        <p>
          {unitName}：第{later.version}版（{cnDateTime(later.created_at)}
          {later.display_name ? `，${later.display_name}` : ''}，{later.reply_class}类）对比第{earlier.version}版（{cnDateTime(earlier.created_at)}，
          {earlier.reply_class}类）。
        </p>
        {later.change_note ? <p>修改说明：{later.change_note}</p> : null}
        {counts.added + counts.removed === 0 ? (
          <Notice>两个版本的正文相同{later.reply_class !== earlier.reply_class ? `，答复分类由${earlier.reply_class}类改为${later.reply_class}类` : ''}。</Notice>
        ) : (
          <p class="diff-legend">
            新增{counts.added}字（<ins>这样标出</ins>），删除{counts.removed}字（<del>这样标出</del>）。
          </p>
        )}
        <DiffText parts={parts} />
        {versions.length > 2 ? (
          <nav aria-label="其他版本" class="pagination">
            {versions
              .filter((v) => v.version > 1 && v.version !== later.version)
              .map((v) => (
                <a href={versionsHref(row.workflow_id, audience === 'unit' ? undefined : (unitId ?? undefined), v.version)}>
                  第{v.version}版与第{v.version - 1}版
                </a>
              ))}
          </nav>
        ) : null}
        <p>
          <a href={back}>返回提案</a>
        </p>
      </Layout>,
    );
  });
}
