import type { EventView, UnitTaskView } from '../../../read/views.js';
import { roleLabel } from '../../../../workflows/proposal/state.js';
import type { Role } from '../../../../workflows/shared/types.js';
import { HANDLING_MODE_LABELS, PROPOSER_KIND_LABELS, SUMMARY_LABELS, summaryValue, TASK_STATUS_LABELS, UNIT_ROLE_LABELS, valueLabel } from '../labels.js';
import { cnDate, cnDateTime, Paragraphs, StageTag } from '../layout.js';
import type { ProposalPageData } from './proposal-data.js';
import { stepWords } from '../../../../workflows/proposal/signoff-chain.js';
import { PendingRequest } from './pending-request.js';
import { FollowUps } from './follow-ups.js';

// The parts of a proposal's page: its facts, the units and their due dates with the reason for
// each date, the timeline, and the unit's own work (consultations, co-opinions, drafts).

export function Facts(p: { data: ProposalPageData }) {
  const { view, unitNames } = p.data;
  const unit = (id: string) => unitNames.get(id) ?? id;
  return (
    <dl class="summary-list">
      <div>
        <dt>阶段</dt>
        <dd>
          <StageTag stage={view.stage} label={view.stageLabel} />
          {view.keyProposal ? <strong class="tag tag-key">重点提案</strong> : null}
        </dd>
      </div>
      {view.keyProposal && view.supervisingLeader ? (
        <div>
          <dt>督办领导</dt>
          <dd>{view.supervisingLeader}</dd>
        </div>
      ) : null}
      <div>
        <dt>届次</dt>
        <dd>{view.sessionCode}</dd>
      </div>
      <div>
        <dt>登记号</dt>
        <dd>{view.receiptNo}</dd>
      </div>
      <div>
        <dt>提案编号</dt>
        <dd>{view.proposalNo ?? (view.mergedInto ? '并案办理，无单独编号' : '尚未立案')}</dd>
      </div>
      {view.mergedInto ? (
        <div>
          <dt>并案</dt>
          <dd>
            并入<a href={`/proposals/${encodeURIComponent(view.mergedInto)}`}>{view.mergedInto}</a>办理；答复后，给您的答复函列在本页“答复函”中
          </dd>
        </div>
      ) : null}
      <div>
        <dt>提案类型</dt>
        <dd>{PROPOSER_KIND_LABELS[view.proposerKind] ?? view.proposerKind}</dd>
      </div>
      <div>
        <dt>类别</dt>
        <dd>{view.topic ?? '—'}</dd>
      </div>
      <div>
        <dt>收到日期</dt>
        <dd>{cnDate(view.receivedDate)}</dd>
      </div>
      {view.handlingMode ? (
        <div>
          <dt>办理方式</dt>
          <dd>
            {HANDLING_MODE_LABELS[view.handlingMode] ?? view.handlingMode}
            {view.leadUnitId ? `；主办：${unit(view.leadUnitId)}` : ''}
          </dd>
        </div>
      ) : null}
      {view.filingReason ? (
        <div>
          <dt>不予立案理由</dt>
          <dd>{view.filingReason}</dd>
        </div>
      ) : null}
      {view.replyDocNo ? (
        <div>
          <dt>答复文号</dt>
          <dd>
            {view.replyDocNo}
            {view.replyClass ? `（${view.replyClass}类）` : ''}
          </dd>
        </div>
      ) : null}
      {view.nextDueAt ? (
        <div>
          <dt>下一个期限</dt>
          <dd>
            {cnDate(view.nextDueAt)} <UnconfirmedTag confirmed={view.nextDueConfirmed} />
            {view.nextDueExplanation ? <div class="hint">为什么是这一天：{view.nextDueExplanation}</div> : null}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

const PROGRESS: Record<UnitTaskView['progress'], string> = { open: '办理中', done: '已完成', ended: '已结束' };

export function urgencyOf(dueAt: string | null, done: boolean, now = Date.now()): 'overdue' | 'soon' | 'ok' | 'none' {
  if (!dueAt || done) return 'none';
  const left = Date.parse(dueAt) - now;
  if (left < 0) return 'overdue';
  return left < 7 * 86_400_000 ? 'soon' : 'ok';
}

export const URGENCY_WORDS = { overdue: '已逾期', soon: '7天内到期', ok: '未到期', none: '' } as const;

/**
 * 日历未确认: a date in a year whose holidays are not loaded was estimated by the weekday rule;
 * whoever reads the date must see that it may still move, not only in its explanation.
 */
export function UnconfirmedTag(p: { confirmed: boolean | undefined }) {
  if (p.confirmed !== false) return null;
  return (
    <strong class="tag tag-unconfirmed" title="该年的节假日安排尚未载入，期限按周末规则估算，载入后可能调整">
      日历未确认
    </strong>
  );
}

export function DueCell(p: { dueAt: string | null; done: boolean; explanation?: string | null | undefined; calendarConfirmed?: boolean | undefined }) {
  const urgency = urgencyOf(p.dueAt, p.done);
  return (
    <>
      <span class={`due due-${urgency}`}>
        {cnDate(p.dueAt)}
        {urgency !== 'none' ? <span class="due-word">（{URGENCY_WORDS[urgency]}）</span> : null}
      </span>
      {p.dueAt ? <UnconfirmedTag confirmed={p.calendarConfirmed} /> : null}
      {p.explanation ? (
        <details class="why">
          <summary>为什么是这一天</summary>
          <p>{p.explanation}</p>
        </details>
      ) : null}
    </>
  );
}

export function TasksTable(p: { data: ProposalPageData }) {
  const { tasks, unitNames } = p.data;
  if (tasks.length === 0) return <p>尚未交办。</p>;
  // 审签流程: which step a reply waits at, for the people who handle it.
  const signOffOf = (unitId: string) => (p.data.live && p.data.live.audience !== 'proposer' ? p.data.state?.tracks.find((x) => x.unitId === unitId)?.signOff : null);
  return (
    <table class="table responsive">
      <caption class="visually-hidden">承办单位与期限</caption>
      <thead>
        <tr>
          <th scope="col">单位</th>
          <th scope="col">任务</th>
          <th scope="col">进度</th>
          <th scope="col">期限</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr>
            <td data-label="单位">{unitNames.get(t.unitId) ?? t.unitId}</td>
            <td data-label="任务">
              {UNIT_ROLE_LABELS[t.role] ?? t.role}
              {t.round > 0 ? `（第${t.round + 1}轮）` : ''}
            </td>
            <td data-label="进度">
              {t.status ? (TASK_STATUS_LABELS[t.status] ?? t.status) : PROGRESS[t.progress]}
              {t.progress === 'open' ? <PendingRequest status={t.status} extensionPendingTo={t.extensionPendingTo} decisionDueAt={t.decisionDueAt} /> : null}
              {t.status === 'signoff' && signOffOf(t.unitId) ? <div class="hint">{stepWords(signOffOf(t.unitId)!)}</div> : null}
            </td>
            <td data-label="期限">
              <DueCell dueAt={t.dueAt} done={t.progress !== 'open'} explanation={t.dueExplanation} calendarConfirmed={t.calendarConfirmed} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const UNIT_KEYS = new Set(['units', 'removed', 'added', 'replacement']);

/** Unit ids in an event's summary, shown by the unit's name. */
function unitNamed(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((u: unknown) => (typeof u === 'string' ? (names.get(u) ?? u) : u));
  return typeof value === 'string' ? (names.get(value) ?? value) : value;
}

export function Timeline(p: { events: EventView[]; unitNames: Map<string, string> }) {
  if (p.events.length === 0) return <p>暂无办理记录。</p>;
  return (
    <ol class="timeline">
      {p.events.map((e) => {
        const entries = Object.entries(e.summary ?? {}).filter(([k, v]) => SUMMARY_LABELS[k] && v !== null && v !== undefined && v !== '');
        return (
          <li>
            <div class="timeline-head">
              <strong>{e.label}</strong>
              <span class="timeline-when">{cnDateTime(e.at)}</span>
            </div>
            <div class="hint">
              {e.actorRole ? roleLabel(e.actorRole as Role) : '系统'}
              {e.actorName ? ` · ${e.actorName}` : ''}
              {e.unitId ? ` · ${p.unitNames.get(e.unitId) ?? e.unitId}` : ''}
            </div>
            {entries.length > 0 ? (
              <ul class="timeline-details">
                {entries.map(([k, v]) => (
                  <li>
                    {SUMMARY_LABELS[k]}：{summaryValue(k, UNIT_KEYS.has(k) ? unitNamed(v, p.unitNames) : v)}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/** The unit's own record of the work: consultations, co-opinions received, draft versions. */
export function UnitWork(p: { data: ProposalPageData }) {
  const { consultations, coOpinions, drafts, latestDraft, unitNames, live } = p.data;
  const unit = (id: string) => unitNames.get(id) ?? id;
  const track =
    live && live.audience !== 'proposer'
      ? live.tracks.find((t) => 'drafts' in t && (live.audience === 'staff' || t.unitId === (live.audience === 'unit' ? live.unitId : null)))
      : null;
  const returned = track && 'lastReturnReason' in track ? track.lastReturnReason : null;
  return (
    <>
      {returned ? (
        <div class="notice notice-warning">
          <strong>领导退回意见：</strong>
          {returned}
        </div>
      ) : null}
      <h2 id="consultations">沟通协商记录</h2>
      {consultations.length === 0 ? (
        <p>尚未记录与提案者的沟通协商。按“先协商后答复”，提交审签前须先记录协商，或说明未能协商的原因。</p>
      ) : (
        <ul class="records">
          {consultations.map((r) => (
            <li>
              <strong>
                {cnDate(r.date)} · {valueLabel('recordConsultation', 'way', r.way)}
              </strong>
              <span class="hint">
                {' '}
                · {unit(r.unitId)} · 参加人员：{r.participants}
              </span>
              <Paragraphs text={r.summary} />
            </li>
          ))}
        </ul>
      )}
      {coOpinions.length > 0 ? (
        <>
          <h2 id="co-opinions">收到的会办意见</h2>
          <ul class="records">
            {coOpinions.map((o) => (
              <li>
                <strong>{unit(o.unitId)}</strong>
                <span class="hint"> · {cnDate(o.at)}</span>
                <Paragraphs text={o.text} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {live && live.audience !== 'proposer' ? <FollowUps checkpoints={live.followUps} reports={p.data.followUpReports} unitName={unit} /> : null}
      {drafts.length > 0 ? (
        <>
          <h2 id="drafts">答复稿</h2>
          <table class="table responsive">
            <caption class="visually-hidden">答复稿各版本</caption>
            <thead>
              <tr>
                <th scope="col">稿次</th>
                <th scope="col">分类</th>
                <th scope="col">修改说明</th>
                <th scope="col">保存时间</th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((d) => (
                <tr>
                  <td data-label="稿次">
                    第{d.version}稿{drafts.some((x) => x.unitId !== d.unitId) ? `（${unit(d.unitId)}）` : ''}
                  </td>
                  <td data-label="分类">{d.replyClass}类</td>
                  <td data-label="修改说明">{d.changeNote ?? '—'}</td>
                  <td data-label="保存时间">{cnDateTime(d.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {latestDraft ? (
            <section class="draft-text" aria-labelledby="latest-draft">
              <h3 id="latest-draft">最新答复稿（第{latestDraft.version}稿）</h3>
              <Paragraphs text={latestDraft.text} />
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}

export function Letters(p: { data: ProposalPageData }) {
  if (p.data.letters.length === 0 && p.data.documents.length === 0) return null;
  const base = `/api/proposals/${encodeURIComponent(p.data.row.workflow_id)}/documents`;
  return (
    <>
      <h2 id="reply">答复</h2>
      {p.data.letters.map((l) => (
        <article class="letter">
          <h3>{l.title}</h3>
          <Paragraphs text={l.text} />
        </article>
      ))}
      {p.data.documents.some((d) => d.formats.includes('docx')) ? (
        <>
          <h3 id="documents">文件下载</h3>
          <ul class="documents">
            {p.data.documents
              .filter((d) => d.formats.includes('docx'))
              .map((d) => (
                <li>
                  <a href={`${base}/${d.id}/docx`} download>
                    {d.title}（.docx）
                  </a>
                </li>
              ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
