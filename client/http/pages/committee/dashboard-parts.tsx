import { FIGURES, formatFigure, type FigureKey, type FigureRow, type KeyProposal } from '../../../read/statistics/index.js';
import type { DiscrepancyReport } from '../../../read/statistics/index.js';
import { lateWords, type WorklistItem } from '../../../read/worklists.js';
import { STAGE_LABELS } from '../../../../workflows/proposal/machine.js';
import { cnDate } from '../layout.js';

// The dashboard's tables. Every number is a link to the proposals behind it (the drill-down
// page), as the issue asks: click a figure, see its proposals.

const stageLabel = (stage: string) => Object.entries(STAGE_LABELS).find(([s]) => s === stage)?.[1] ?? stage;

/** The figures shown as columns, in the order the committee reads them. */
export const TABLE_FIGURES: FigureKey[] = [
  'replied',
  'onTime',
  'attitudeSatisfied',
  'resultSatisfied',
  'faceToFace',
  'classA',
  'classB',
  'classC',
  'rehandled',
  'noFeedback',
  'publishedInWindow',
];

export interface DrillTarget {
  session: string | undefined;
  unit: string | null;
}

export function drillHref(figure: FigureKey, part: 'num' | 'den', t: DrillTarget): string {
  const q = new URLSearchParams();
  if (t.session) q.set('session', t.session);
  if (t.unit) q.set('unit', t.unit);
  q.set('part', part);
  return `/committee/dashboard/figures/${figure}?${q.toString()}`;
}

/** One figure: the rate (or count) links to the numerator's list, "n/d" to both lists. */
export function FigureCell(p: { row: FigureRow; figure: FigureKey; session: string | undefined }) {
  const v = p.row.figures[p.figure];
  const def = FIGURES[p.figure];
  const target = { session: p.session, unit: p.row.unitId };
  return (
    <td data-label={def.label} class="num">
      <a href={drillHref(p.figure, 'num', target)} title={`${def.label}：${def.numerator}`}>
        {formatFigure(def.kind, v.num, v.den)}
      </a>
      <div class="hint">
        <a href={drillHref(p.figure, 'num', target)}>{v.num}</a>/<a href={drillHref(p.figure, 'den', target)}>{v.den}</a>
      </div>
    </td>
  );
}

export function FigureTable(p: {
  rows: FigureRow[];
  caption: string;
  firstHeader: string;
  nameOf: (r: FigureRow) => string;
  session: (r: FigureRow) => string | undefined;
}) {
  if (p.rows.length === 0) return <p>没有可统计的提案。</p>;
  return (
    <>
      <p class="hint">{p.caption}。每格上行是比率（或件数），下行是分子/分母，均可点开查看提案。</p>
      <table class="table responsive">
        <caption class="visually-hidden">{p.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{p.firstHeader}</th>
            {TABLE_FIGURES.map((f) => (
              <th scope="col">{FIGURES[f].label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr>
              <th scope="row" data-label={p.firstHeader}>
                {p.nameOf(r)}
              </th>
              {TABLE_FIGURES.map((f) => (
                <FigureCell row={r} figure={f} session={p.session(r)} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function KeyProposalTable(p: { items: KeyProposal[]; unitNames: Map<string, string> }) {
  if (p.items.length === 0) return <p>本届次没有重点提案。</p>;
  return (
    <table class="table responsive">
      <caption class="visually-hidden">重点提案督办情况</caption>
      <thead>
        <tr>
          <th scope="col">提案</th>
          <th scope="col">督办领导</th>
          <th scope="col">承办单位</th>
          <th scope="col">阶段</th>
          <th scope="col">下一期限</th>
          <th scope="col">督办通知</th>
        </tr>
      </thead>
      <tbody>
        {p.items.map((k) => (
          <tr>
            <td data-label="提案">
              <a href={`/proposals/${encodeURIComponent(k.workflowId)}`}>{k.title}</a>
              <div class="hint">{k.proposalNo ?? ''}</div>
            </td>
            <td data-label="督办领导">{k.supervisingLeader ?? '—'}</td>
            <td data-label="承办单位">{k.unitIds.map((u) => p.unitNames.get(u) ?? u).join('、') || '尚未交办'}</td>
            <td data-label="阶段">{stageLabel(k.stage)}</td>
            <td data-label="下一期限">
              {k.nextDueAt ? <span class={`due ${k.overdue ? 'due-overdue' : 'due-ok'}`}>{cnDate(k.nextDueAt)}</span> : '—'}
              {k.overdue ? <span class="hint">（已逾期）</span> : null}
            </td>
            <td data-label="督办通知">{k.escalations > 0 ? `${k.escalations}次，最近${cnDate(k.lastEscalationAt)}` : '无'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WorklistBrief(p: { items: WorklistItem[]; count: number; kind: 'overdue' | 'due-soon'; unitNames: Map<string, string>; shown: number }) {
  if (p.count === 0) return <p>{p.kind === 'overdue' ? '没有逾期的任务。' : '7天内没有到期的任务。'}</p>;
  return (
    <>
      <ul>
        {p.items.slice(0, p.shown).map((i) => (
          <li>
            <a href={`/proposals/${encodeURIComponent(i.workflowId)}`}>{i.title}</a>
            {i.keyProposal ? <strong class="tag tag-key">重点提案</strong> : null}
            <span class="hint">
              {' '}
              {p.unitNames.get(i.unitId) ?? i.unitId}，{cnDate(i.dueDate)}
              {p.kind === 'overdue' ? `，${lateWords(i.daysLate)}` : `，剩${i.daysLeft}个工作日`}
              {i.extended ? '（已延期）' : ''}
            </span>
          </li>
        ))}
      </ul>
      <p>
        <a href={`/worklists?kind=${p.kind}`}>{p.count > p.shown ? `查看全部${p.count}项` : '打开清单'}</a>
      </p>
    </>
  );
}

export function DiscrepancySection(p: { report: DiscrepancyReport; unitNames: Map<string, string> }) {
  const unit = (id: string) => p.unitNames.get(id) ?? id;
  const link = (id: string, title: string) => <a href={`/proposals/${encodeURIComponent(id)}`}>{title}</a>;
  return (
    <section aria-labelledby="discrepancies">
      <h2 id="discrepancies">差异报告</h2>
      <h3>答复为A类或B类，提案者对办理结果不满意（{p.report.unsatisfiedAB.length}）</h3>
      {p.report.unsatisfiedAB.length === 0 ? (
        <p>没有。</p>
      ) : (
        <ul>
          {p.report.unsatisfiedAB.map((r) => (
            <li>
              {link(r.workflowId, r.title)}
              <span class="hint">
                {' '}
                {r.proposalNo ?? ''} {unit(r.unitId)} {r.replyClass}类 {r.docNo ?? ''}，第{r.round + 1}轮答复{r.onBehalf ? '，纸质代录评价' : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>B/C类承诺回头看逾期未报告（{p.report.overdueFollowUps.length}）</h3>
      {p.report.overdueFollowUps.length === 0 ? (
        <p>没有。</p>
      ) : (
        <ul>
          {p.report.overdueFollowUps.map((r) => (
            <li>
              {link(r.workflowId, r.title)}
              <span class="hint">
                {' '}
                {r.unitIds.map(unit).join('、')} {r.replyClass ?? ''}类，回访日期{cnDate(r.followUpDate)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p class="hint">落实情况报告是自由文字，系统没有记录“报告未落实”这一结论，因此无法单列“报告未完成”的承诺。</p>
      <h3>满意评价主要来自办公室代录纸质表的单位（{p.report.paperSatisfaction.length}）</h3>
      {p.report.paperSatisfaction.length === 0 ? (
        <p>没有。</p>
      ) : (
        <ul>
          {p.report.paperSatisfaction.map((r) => (
            <li>
              {unit(r.unitId)}
              <span class="hint">
                {' '}
                {r.sessionCode}：结果满意（含基本满意）{r.satisfied}份，其中纸质代录{r.onPaper}份（{r.share}%）
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
