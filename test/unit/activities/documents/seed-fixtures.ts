import { formatDocNumber, type LetterFacts } from '../../../../activities/documents/letter-model.js';
import { resolveStyle, type LetterStylePatch } from '../../../../activities/documents/letter-style.js';

// The facts of the two published replies in ../shared/seeds (000: Zhejiang provincial NDRC, 2024;
// 004: Wenzhou science bureau, 2024) and what each letter shows, field by field. Only facts are
// copied: the bodies below are made up. Seed 000 is a web page whose scraper turned the letter's
// full-width punctuation into ASCII (“张永庆委员:”, “联系人:韩志周,0571-…”); the expected
// fields carry the letter's own full-width forms. Seed 004 is the .docx text as issued.

export interface SeedFixture {
  name: string;
  deployment: LetterStylePatch;
  unit: LetterStylePatch;
  unitPrefix: string;
  serial: number;
  facts: Omit<LetterFacts, 'docNo'>;
  expected: {
    number: string;
    mark: string | null;
    title: string[];
    salutation: string;
    receipt: string;
    closing: string | null;
    contact: string | null;
    signature: string | null;
    date: string;
    copies: string | null;
  };
}

const MADE_UP_BODY_000 = [
  '一、前期开展工作',
  '（一）统筹谋划产业布局。我们会同有关部门梳理了重点领域的发展基础，明确了分阶段推进的目标和任务，并建立了定期会商机制。',
  '（二）推动应用场景开放。围绕城市治理、交通物流和公共服务等领域，组织发布了一批场景需求清单，引导企业参与试点验证。',
  '（三）强化要素保障。在资金、用地和数据等方面出台了配套措施，支持试点地区先行先试，及时总结推广可复制的经验做法。',
  '二、下一步工作举措',
  '（一）完善政策体系。研究制定更有针对性的支持政策，加强部门协同和省市县联动，推动各项举措落地见效。',
  '（二）深化试点示范。择优培育一批示范项目，建立评价指标体系，加强跟踪监测和服务保障。',
  '（三）加强交流合作。搭建供需对接平台，推动科研机构与企业深度合作，促进创新成果转化应用。',
].join('\n');

const MADE_UP_BODY_004 = [
  '您在提案中就相关产业发展提出了完善产业生态、建设产业基地、打造应用场景等建议。我局认为这些建议很有建设性，经调查研究，现答复如下：',
  '近年来，我市围绕产业创新发展做了大量工作。一是加快谋划产业布局，起草了专项实施方案；二是加强创新平台建设，引进共建了一批高能级平台；三是完善科研攻关机制，每年立项支持一批重点研发项目。',
  '下一步，我们将根据您的建议，重点做好以下几方面工作。',
  '1.培育一批科技企业。依托孵化载体建设，招引培育一批细分领域的应用服务企业，壮大企业梯队。',
  '2.实施一批攻关项目。聚焦关键技术方向，建立项目储备库，通过“揭榜挂帅”等方式组织攻关。',
  '3.建设一批创新平台。布局建设重点实验室和开放创新平台，推动产学研用深度融合。',
].join('\n');

export const SEED_000: SeedFixture = {
  name: 'seed-000-zhejiang-ndrc',
  deployment: {
    committee: '省政协',
    title: { reply: '{issuer}关于{session}第{number}号提案的答复' },
    receipt: { reply: '{you}在{session}上提出的第{number}号提案《{title}》收悉，{consolidation}现答复如下。', runsOn: false },
    copies: { to: ['省政府办公厅', '省政协提案委员会'] },
  },
  unit: { issuer: '浙江省发展改革委', contact: { form: '联系人：{name}，{phone}。', place: 'before_signature' }, closing: { reply: '' }, signature: '{unitName}' },
  unitPrefix: '浙发改',
  serial: 263,
  facts: {
    kind: 'reply',
    category: null,
    session: { name: '十三届二次会议' },
    proposal: { number: '第224号', title: '关于强化应用场景的创造与开放，打造需求牵引和技术驱动双轮协同的未来产业发展新范式的建议' },
    proposers: [{ kind: 'member', name: '张永庆' }],
    unit: { name: '浙江省发展和改革委员会', shortName: '省发展改革委' },
    leadUnit: null,
    coUnits: [],
    body: MADE_UP_BODY_000,
    contact: { name: '韩志周', phone: '0571-87054876' },
    date: '2024-10-25',
    // As published, the reply carries no 抄送 line: this proposal's own list is empty.
    override: { copies: { add: [], only: [] } },
  },
  expected: {
    number: '浙发改提〔2024〕263号',
    mark: null,
    title: ['浙江省发展改革委关于省政协十三届二次会议第224号提案的答复'],
    salutation: '张永庆委员：',
    receipt: '您在省政协十三届二次会议上提出的第224号提案《关于强化应用场景的创造与开放，打造需求牵引和技术驱动双轮协同的未来产业发展新范式的建议》收悉，现答复如下。',
    closing: null,
    contact: '联系人：韩志周，0571-87054876。',
    signature: '浙江省发展和改革委员会',
    date: '2024年10月25日',
    copies: null,
  },
};

export const SEED_004: SeedFixture = {
  name: 'seed-004-wenzhou-science',
  deployment: {
    committee: '市政协',
    number: { kindWords: { reply: '提复' } },
    title: { reply: '关于{session}{number}号提案的\n答 复 函' },
    receipt: { reply: '{you}在{session}期间所提的《{title}》（政协提案{number}号）收悉。', runsOn: true },
    copies: { to: ['市府办', '市政协提案委'], joiner: '，', end: '' },
  },
  // The bureau's seal names it: no printed signature line.
  unit: {
    closing: { reply: '最后，感谢{you}对科技创新工作的支持。' },
    contact: { form: '联系人：{name}，联系电话：{phone}。', place: 'before_signature' },
    signature: '',
  },
  unitPrefix: '温科',
  serial: 111,
  facts: {
    kind: 'reply',
    category: null,
    session: { name: '十二届三次会议' },
    proposal: { number: '2号', title: '关于加快布局人工智能产业新高地的提案' },
    proposers: [{ kind: 'member', name: '余向前' }],
    unit: { name: '温州市科学技术局', shortName: '市科技局' },
    leadUnit: null,
    coUnits: [],
    body: MADE_UP_BODY_004,
    contact: { name: '王鹏鸣', phone: '88962071' },
    date: '2024-06-27',
  },
  expected: {
    number: '温科提复〔2024〕111号',
    mark: null,
    title: ['关于市政协十二届三次会议2号提案的', '答 复 函'],
    salutation: '余向前委员：',
    receipt: '您在市政协十二届三次会议期间所提的《关于加快布局人工智能产业新高地的提案》（政协提案2号）收悉。',
    closing: '最后，感谢您对科技创新工作的支持。',
    contact: '联系人：王鹏鸣，联系电话：88962071。',
    signature: null,
    date: '2024年6月27日',
    copies: '抄送：市府办，市政协提案委',
  },
};

/**
 * A third deployment, made up: another province, the kind word 案函, the category appended to
 * the number instead of marked, a closing formula, the contact under the date, no copies, two
 * co-units consolidated in the order they were assigned.
 */
export const THIRD_STYLE: SeedFixture = {
  name: 'made-up-third-style',
  deployment: {
    committee: '省政协',
    number: { form: '{prefix}{kind}〔{year}〕{serial}号{category}', kindWords: { reply: '案函' } },
    mark: { show: false },
    title: { reply: '关于{session}第{number}号提案答复的函' },
    receipt: { reply: '{you}提出的《{title}》（第{number}号）收悉。{consolidation}现将办理情况答复如下：' },
    consolidation: { form: '经商{units}，', joiner: '、' },
    closing: { reply: '特此函复。' },
    contact: { form: '（联系人：{name}；联系电话：{phone}）', place: 'after_date' },
    copies: { to: [], coUnits: false },
  },
  unit: {},
  unitPrefix: '川工信',
  serial: 58,
  facts: {
    kind: 'reply',
    category: 'B',
    session: { name: '十二届三次会议' },
    proposal: { number: '第1035号', title: '关于支持中小企业数字化转型的建议' },
    proposers: [
      { kind: 'member', name: '赵一鸣' },
      { kind: 'member', name: '钱二和' },
    ],
    unit: { name: '四川省经济和信息化厅', shortName: '省经信厅' },
    leadUnit: null,
    coUnits: [
      { name: '四川省财政厅', shortName: '省财政厅' },
      { name: '四川省科学技术厅', shortName: '省科技厅' },
    ],
    body: '一、基本情况\n我们对建议逐条进行了研究。\n二、下一步工作\n我们将会同有关部门抓好落实。',
    contact: { name: '孙三', phone: '028-80000000' },
    date: '2025-07-01',
  },
  expected: {
    number: '川工信案函〔2025〕58号B',
    mark: null,
    title: ['关于省政协十二届三次会议第1035号提案答复的函'],
    salutation: '赵一鸣委员、钱二和委员：',
    receipt: '你们提出的《关于支持中小企业数字化转型的建议》（第1035号）收悉。经商省财政厅、省科技厅，现将办理情况答复如下：',
    closing: '特此函复。',
    contact: '（联系人：孙三；联系电话：028-80000000）',
    signature: '四川省经济和信息化厅',
    date: '2025年7月1日',
    copies: null,
  },
};

export const FIXTURES = [SEED_000, SEED_004, THIRD_STYLE];

/** The facts with the number the unit's sequence gives, as dispatch would take it. */
export function factsOf(fixture: SeedFixture): LetterFacts {
  const style = resolveStyle(fixture.deployment, fixture.unit);
  const year = Number(fixture.facts.date.slice(0, 4));
  const docNo = formatDocNumber(style, { kind: fixture.facts.kind, prefix: fixture.unitPrefix, year, serial: fixture.serial, category: fixture.facts.category });
  return { ...fixture.facts, docNo };
}
