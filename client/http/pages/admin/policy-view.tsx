import { formatProposalNumber } from '../../../../workflows/shared/proposal-numbers.js';
import type { ClockOffset, LadderRung, PolicyBody } from '../../../../workflows/shared/types.js';

// The active handling policy (办理规则) in words a person reads: durations as "3个月",
// reminders as "到期前7天", the escalation ladder as "逾期5天：分管领导".

export const DURATION_UNITS: Record<PolicyBody['durations']['reply']['unit'], string> = {
  working_days: '个工作日',
  calendar_days: '天',
  calendar_months: '个月',
  seconds: '秒（仅用于测试）',
};

const OFFSET_UNITS: Record<ClockOffset['unit'], string> = { calendar_days: '天', seconds: '秒' };

const RUNGS: Record<LadderRung, string> = {
  liaison: '承办单位联络员',
  leader: '承办单位分管领导',
  principal: '承办单位主要负责人',
  office_committee: '交办单位和提案委员会',
};

export const RATING_BY: Record<PolicyBody['ratingBy'], string> = { first_proposer: '第一提案人评价', all_proposers: '每位提案者分别评价' };
export const NO_FEEDBACK: Record<PolicyBody['noFeedbackCountsAs'], string> = { satisfied: '视为满意', excluded: '不计入满意度' };

/** The numbering format with a serial filled in, by the workflow's own formatter. */
const numberExample = (format: string, n: number) => formatProposalNumber(format, n, new Date().getFullYear());

const offset = (o: ClockOffset) => `${o.amount}${OFFSET_UNITS[o.unit]}`;

function Ladder(p: { rungs: PolicyBody['clock']['escalation'] }) {
  if (p.rungs.length === 0) return <>不督办</>;
  return (
    <ol class="policy-ladder">
      {p.rungs.map((r) => (
        <li>
          {r.after.amount === 0 ? '一逾期' : `逾期${offset(r.after)}`}：通知{RUNGS[r.notify]}
        </li>
      ))}
    </ol>
  );
}

export function PolicyView(p: { version: number; body: PolicyBody }) {
  const b = p.body;
  return (
    <>
      <dl class="summary-list">
        <div>
          <dt>名称</dt>
          <dd>
            {b.name}（第{p.version}版）
          </dd>
        </div>
        <div>
          <dt>提案编号格式</dt>
          <dd>
            例如 {numberExample(b.proposalNumberFormat, 1)}、{numberExample(b.proposalNumberFormat, 2)}……
          </dd>
        </div>
        <div>
          <dt>答复分类</dt>
          <dd>
            {b.replyClasses.join('、')}类；
            {b.classesNeedingFollowUp.length > 0 ? `${b.classesNeedingFollowUp.join('、')}类答复须承诺落实事项并“回头看”` : '不要求回头看'}
          </dd>
        </div>
        <div>
          <dt>征询意见</dt>
          <dd>
            {RATING_BY[b.ratingBy]}；期满未反馈{NO_FEEDBACK[b.noFeedbackCountsAs]}
          </dd>
        </div>
        <div>
          <dt>重点提案</dt>
          <dd>{b.principalSignOffForKey ? '答复须由承办单位主要负责人签发' : '由分管领导签发即可'}</dd>
        </div>
      </dl>
      <h3>办理期限</h3>
      <table class="table responsive">
        <caption class="visually-hidden">办理期限</caption>
        <thead>
          <tr>
            <th scope="col">期限</th>
            <th scope="col">时长</th>
          </tr>
        </thead>
        <tbody>
          {Object.values(b.durations).map((d) => (
            <tr>
              <td data-label="期限">{d.label}</td>
              <td data-label="时长">
                {d.amount}
                {DURATION_UNITS[d.unit]}
                {d.rollToWorkingDay ? '（遇节假日顺延至工作日）' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>提醒与督办</h3>
      <dl class="summary-list">
        <div>
          <dt>到期提醒</dt>
          <dd>{b.clock.reminderOffsets.length > 0 ? b.clock.reminderOffsets.map((o) => `到期前${offset(o)}`).join('、') : '不提醒'}</dd>
        </div>
        <div>
          <dt>逾期督办</dt>
          <dd>
            <Ladder rungs={b.clock.escalation} />
          </dd>
        </div>
        <div>
          <dt>重点提案督办</dt>
          <dd>
            <Ladder rungs={b.clock.keyEscalation} />
          </dd>
        </div>
      </dl>
      <h3>不予立案的理由</h3>
      <ul>
        {b.notFiledReasons.map((r) => (
          <li>{r.label}</li>
        ))}
      </ul>
    </>
  );
}
