import type { FollowUpView } from '../../../read/records.js';
import type { FollowUpCheckpointView } from '../../../read/process-view.js';
import { cnDate, cnDateTime, Paragraphs } from '../layout.js';
import { DueCell } from './proposal-view.js';

// 回头看 per promise: what each unit promised in its B/C reply, by when, and what it reported.
// A unit sees its own checkpoint; the office and committee see every unit's.

export function FollowUps(p: { checkpoints: FollowUpCheckpointView[]; reports: FollowUpView[]; unitName: (id: string) => string }) {
  if (p.checkpoints.length === 0) return null;
  return (
    <>
      <h2 id="follow-ups">回头看（承诺事项落实情况）</h2>
      <ul class="records">
        {p.checkpoints.map((c) => {
          const report = p.reports.filter((r) => r.step === 'reportFollowUp' && r.unitId === c.unitId).at(-1);
          return (
            <li>
              <strong>
                {p.unitName(c.unitId)} · {c.replyClass}类答复
              </strong>
              <span class="hint"> · 承诺落实日期 </span>
              {c.status === 'reported' ? <span>{cnDate(c.dueDate)}（已报告）</span> : <DueCell dueAt={`${c.dueDate}T15:59:59.999Z`} done={false} />}
              {c.promised ? <p>承诺事项：{c.promised}</p> : null}
              {report ? (
                <section aria-label={`${p.unitName(c.unitId)}的落实情况报告`}>
                  <p class="hint">
                    落实情况报告 · {cnDateTime(report.at)}
                    {report.byName ? ` · ${report.byName}` : ''}
                  </p>
                  <Paragraphs text={report.report ?? ''} />
                </section>
              ) : (
                <p class="hint">尚未报告落实情况。到期前会提醒承办单位，逾期后按催办程序逐级督促。</p>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
