import { lateWords, type WorklistItem } from '../read/worklists.js';
import { chineseDate, type AnnualReport } from './annual-report-text.js';
import type { StatisticsBundle } from './statistics-data.js';

// 通报: the progress notice the committee sends while a session's proposals are being handled.
// Same figures as the dashboard (办复, 按期), plus who is late right now (the overdue worklist)
// and who is done; words only — the .docx renderer of the annual report lays it out.

const CN_DIGITS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function progressNotice(b: StatisticsBundle, overdue: WorklistItem[], today: string): AnnualReport {
  const session = b.sessionName ?? '各届次';
  const f = b.total?.figures;
  const lateByUnit = new Map<string, WorklistItem[]>();
  for (const item of overdue) lateByUnit.set(item.unitId, [...(lateByUnit.get(item.unitId) ?? []), item]);
  const done = b.unitRows.filter((r) => r.figures.replied.den > 0 && r.figures.replied.num === r.figures.replied.den).map((r) => b.unitName(r.unitId));
  const sections: { heading: string; paragraphs: string[] }[] = [
    {
      heading: '办理进度',
      paragraphs: [
        f
          ? `截至${chineseDate(today)}，${session}立案交办的${f.replied.den}件提案已办复${f.replied.num}件，未办复${f.replied.den - f.replied.num}件；已到期或已答复的${f.onTime.den}件中按期办复${f.onTime.num}件。`
          : `截至${chineseDate(today)}，${session}尚无已立案交办的提案。`,
      ],
    },
    {
      heading: '逾期未办复',
      paragraphs:
        lateByUnit.size === 0
          ? ['目前没有逾期未办复的提案。']
          : [
              `目前逾期未办复的提案${overdue.length}件次，涉及${lateByUnit.size}家承办单位：`,
              ...[...lateByUnit].map(
                ([unitId, items], i) =>
                  `${i + 1}. ${b.unitName(unitId)}${items.length}件：` +
                  items
                    .map((it) => `《${it.title}》${it.proposalNo ? `（${it.proposalNo}）` : ''}${lateWords(it.daysLate)}${it.keyProposal ? '（重点提案）' : ''}`)
                    .join('；') +
                  '。',
              ),
              '请以上单位抓紧办理，确有困难的按规定申请延期，并将办理情况报提案委员会。',
            ],
    },
    { heading: '已全部办复的单位', paragraphs: [done.length ? `${done.join('、')}。` : '尚无全部办复的承办单位。'] },
  ];
  return {
    title: `关于${session}提案办理进展情况的通报`,
    sections: sections.map((s, i) => ({ heading: `${CN_DIGITS[i] ?? String(i + 1)}、${s.heading}`, paragraphs: s.paragraphs })),
    table: [],
    signature: '政协提案委员会办公室',
    date: chineseDate(today),
  };
}
