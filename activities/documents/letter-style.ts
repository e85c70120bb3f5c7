import { z } from 'zod';

// How a deployment and each of its units write a 答复函 / 会办意见: every wording that differs
// from one place to another is data here (edited by an administrator, previewed before it is
// saved), so a new province or city needs no template edit. Forms are strings with
// {placeholders}; each form accepts only the placeholders listed in FORM_PLACEHOLDERS, so a typo
// is refused when the style is saved instead of appearing in a signed letter.

const form = z.string().max(400);
const names = z.array(z.string().min(1).max(60)).max(30);
/** A font and what to use where it is missing (方正小标宋简体 is rarely installed off Windows). */
const fontStack = z.array(z.string().min(1).max(60)).min(1).max(4);

export const LayoutSchema = z.strictObject({
  pageMm: z.strictObject({ width: z.number().positive(), height: z.number().positive() }),
  marginsMm: z.strictObject({ top: z.number().min(0), bottom: z.number().min(0), left: z.number().min(0), right: z.number().min(0) }),
  linesPerPage: z.int().min(10).max(40),
  charsPerLine: z.int().min(10).max(40),
  fonts: z.strictObject({ title: fontStack, body: fontStack, heading1: fontStack, heading2: fontStack, pageNumber: fontStack, latin: fontStack }),
  sizesPt: z.strictObject({ title: z.number().positive(), body: z.number().positive(), pageNumber: z.number().positive(), copies: z.number().positive() }),
  numberAlign: z.enum(['right', 'center', 'left']),
});

export const LetterStyleSchema = z.strictObject({
  /** The committee as letters name it: 省政协, 市政协, 全国政协. */
  committee: z.string().max(40),
  /** {committee}{session} → 省政协十三届二次会议 */
  session: form,
  number: z.strictObject({
    form,
    /** 提 / 提复 / 案函 for replies, 提函 for co-handling opinions. */
    kindWords: z.strictObject({ reply: z.string().max(10), opinion: z.string().max(10) }),
  }),
  /** The category mark (A/B/C) at the top right of page 1; `form` may dress it (“{category}类”). */
  mark: z.strictObject({ show: z.boolean(), form }),
  /** The organ named in front of a title (浙江省发展改革委关于……); empty when titles start with 关于. */
  issuer: form,
  /** One line per \n. */
  title: z.strictObject({ reply: form, opinion: form }),
  salutation: z.strictObject({ member: form, collective: form, joiner: z.string().max(4), end: z.string().max(4) }),
  /** 您 for one proposer; 你们 / 您们 when several signed. */
  you: z.strictObject({ one: z.string().max(6), many: z.string().max(6) }),
  receipt: z.strictObject({
    reply: form,
    opinion: form,
    /** The 收悉 sentence and the body's first paragraph share one paragraph (seed 004). */
    runsOn: z.boolean(),
  }),
  consolidation: z.strictObject({ form, joiner: z.string().max(4) }),
  /** Never a fixed thanks: empty means the letter ends with its body. */
  closing: z.strictObject({ reply: form, opinion: form }),
  contact: z.strictObject({ form, place: z.enum(['before_signature', 'after_date', 'none']) }),
  /** Empty when the seal alone names the unit. */
  signature: form,
  copies: z.strictObject({ label: z.string().max(10), joiner: z.string().max(4), end: z.string().max(4), coUnits: z.boolean(), to: names }),
  layout: LayoutSchema,
});

export type LetterStyle = z.infer<typeof LetterStyleSchema>;
export type LetterLayout = z.infer<typeof LayoutSchema>;

/** What a unit (or the deployment, over the built-in defaults) changes; arrays replace, objects merge. */
export const LetterStylePatchSchema = z.strictObject({
  committee: z.string().max(40).optional(),
  session: form.optional(),
  number: z
    .strictObject({
      form: form.optional(),
      kindWords: z
        .strictObject({ reply: z.string().max(10), opinion: z.string().max(10) })
        .partial()
        .optional(),
    })
    .optional(),
  mark: LetterStyleSchema.shape.mark.partial().optional(),
  issuer: form.optional(),
  title: LetterStyleSchema.shape.title.partial().optional(),
  salutation: LetterStyleSchema.shape.salutation.partial().optional(),
  you: LetterStyleSchema.shape.you.partial().optional(),
  receipt: LetterStyleSchema.shape.receipt.partial().optional(),
  consolidation: LetterStyleSchema.shape.consolidation.partial().optional(),
  closing: LetterStyleSchema.shape.closing.partial().optional(),
  contact: LetterStyleSchema.shape.contact.partial().optional(),
  signature: form.optional(),
  copies: LetterStyleSchema.shape.copies.partial().optional(),
  layout: z
    .strictObject({
      pageMm: LayoutSchema.shape.pageMm.partial().optional(),
      marginsMm: LayoutSchema.shape.marginsMm.partial().optional(),
      linesPerPage: LayoutSchema.shape.linesPerPage.optional(),
      charsPerLine: LayoutSchema.shape.charsPerLine.optional(),
      fonts: LayoutSchema.shape.fonts.partial().optional(),
      sizesPt: LayoutSchema.shape.sizesPt.partial().optional(),
      numberAlign: LayoutSchema.shape.numberAlign.optional(),
    })
    .optional(),
});
export type LetterStylePatch = z.infer<typeof LetterStylePatchSchema>;

/** One proposal's own 抄送: added names, or (only) the whole list, which may be empty. */
export const LetterOverrideSchema = z.strictObject({
  copies: z.strictObject({ add: names, only: names.nullable() }).optional(),
  closing: form.nullable().optional(),
});
export type LetterOverride = z.infer<typeof LetterOverrideSchema>;

/**
 * GB/T 9704—2012: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (so bottom 35, right 26),
 * 3号仿宋 body, 2号小标宋 title, 22 lines of 28 characters (§5.2.3; “特定情况可以作适当调整”,
 * hence data), 4号 page numbers.
 */
export const GBT9704_LAYOUT: LetterLayout = {
  pageMm: { width: 210, height: 297 },
  marginsMm: { top: 37, bottom: 35, left: 28, right: 26 },
  linesPerPage: 22,
  charsPerLine: 28,
  // The official face, then what Windows has without it (Word reads it as w:altName), then what
  // Linux has (fonts-noto-cjk, for LibreOffice and browsers).
  fonts: {
    title: ['方正小标宋简体', '宋体', 'Noto Serif CJK SC'],
    body: ['仿宋_GB2312', '仿宋', 'Noto Serif CJK SC'],
    heading1: ['黑体', 'SimHei', 'Noto Sans CJK SC'],
    heading2: ['楷体_GB2312', '楷体', 'Noto Serif CJK SC'],
    pageNumber: ['宋体', 'SimSun', 'Noto Serif CJK SC'],
    latin: ['Times New Roman', 'Liberation Serif'],
  },
  sizesPt: { title: 22, body: 16, pageNumber: 14, copies: 14 },
  numberAlign: 'right',
};

/** A provincial deployment's starting point; the office edits it as data. */
export const DEFAULT_LETTER_STYLE: LetterStyle = {
  committee: '省政协',
  session: '{committee}{session}',
  number: { form: '{prefix}{kind}〔{year}〕{serial}号', kindWords: { reply: '提', opinion: '提函' } },
  mark: { show: true, form: '{category}' },
  issuer: '',
  title: { reply: '{issuer}关于{session}第{number}号提案的答复', opinion: '关于{session}第{number}号提案的会办意见' },
  salutation: { member: '{name}委员', collective: '{name}', joiner: '、', end: '：' },
  you: { one: '您', many: '你们' },
  receipt: {
    reply: '{you}在{session}上提出的第{number}号提案《{title}》收悉，{consolidation}现答复如下：',
    opinion: '{session}第{number}号提案《{title}》收悉。经研究，现提出会办意见如下：',
    runsOn: false,
  },
  consolidation: { form: '经综合{units}等单位意见，', joiner: '、' },
  closing: { reply: '', opinion: '' },
  contact: { form: '联系人：{name}，联系电话：{phone}。', place: 'before_signature' },
  signature: '{unitName}',
  copies: { label: '抄送：', joiner: '，', end: '。', coUnits: true, to: ['省政府办公厅', '省政协提案委员会'] },
  layout: GBT9704_LAYOUT,
};

export const FORM_PLACEHOLDERS = {
  session: ['committee', 'session'],
  number: ['prefix', 'kind', 'year', 'serial', 'category'],
  mark: ['category'],
  issuer: ['unitName', 'shortName'],
  title: ['issuer', 'session', 'number', 'title', 'unitName', 'shortName'],
  salutation: ['name'],
  receipt: ['you', 'session', 'number', 'title', 'consolidation', 'leadUnit'],
  consolidation: ['units'],
  closing: ['you'],
  contact: ['name', 'phone'],
  signature: ['unitName', 'shortName'],
} as const;
export type FormKind = keyof typeof FORM_PLACEHOLDERS;
type Vars<K extends FormKind> = Record<(typeof FORM_PLACEHOLDERS)[K][number], string>;

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

export class StyleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'StyleError';
  }
}

function unknownPlaceholders(kind: FormKind, template: string): string[] {
  const allowed: readonly string[] = FORM_PLACEHOLDERS[kind];
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !allowed.includes(name));
}

/** Fills a form; every placeholder it names must be one its kind offers. */
export function fill<K extends FormKind>(kind: K, template: string, vars: Vars<K>): string {
  const bad = unknownPlaceholders(kind, template);
  if (bad.length) throw new StyleError(kind, `格式「${template}」中的占位符 {${bad.join('}、{')}} 不可用，可用：{${FORM_PLACEHOLDERS[kind].join('}、{')}}`);
  const values: Record<string, string> = vars;
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
}

/** Each form of a style with its kind, for checking every one when a style is saved. */
function formsOf(style: LetterStyle): [string, FormKind, string][] {
  return [
    ['session', 'session', style.session],
    ['number.form', 'number', style.number.form],
    ['mark.form', 'mark', style.mark.form],
    ['issuer', 'issuer', style.issuer],
    ['title.reply', 'title', style.title.reply],
    ['title.opinion', 'title', style.title.opinion],
    ['salutation.member', 'salutation', style.salutation.member],
    ['salutation.collective', 'salutation', style.salutation.collective],
    ['receipt.reply', 'receipt', style.receipt.reply],
    ['receipt.opinion', 'receipt', style.receipt.opinion],
    ['consolidation.form', 'consolidation', style.consolidation.form],
    ['closing.reply', 'closing', style.closing.reply],
    ['closing.opinion', 'closing', style.closing.opinion],
    ['contact.form', 'contact', style.contact.form],
    ['signature', 'signature', style.signature],
  ];
}

/** Problems a person can fix, by field; empty when the style can be saved. */
export function checkStyle(style: LetterStyle): { field: string; message: string }[] {
  const problems = formsOf(style).flatMap(([field, kind, template]) => {
    const bad = unknownPlaceholders(kind, template);
    return bad.length ? [{ field, message: `占位符 {${bad.join('}、{')}} 不可用，可用：{${FORM_PLACEHOLDERS[kind].join('}、{')}}` }] : [];
  });
  // A number without its serial would repeat itself; the sequence is the only thing that differs.
  if (!style.number.form.includes('{serial}')) problems.push({ field: 'number.form', message: '文号格式必须包含 {serial}（流水号）' });
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = deepMerge(base[key], value);
  return out;
}

/** Built-in defaults ← the deployment's patch ← the unit's patch; the result is checked whole. */
export function resolveStyle(...patches: (LetterStylePatch | null | undefined)[]): LetterStyle {
  let merged: unknown = DEFAULT_LETTER_STYLE;
  for (const patch of patches) if (patch) merged = deepMerge(merged, patch);
  return LetterStyleSchema.parse(merged);
}
