import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { getUnits } from '../../db/repositories/directory.js';
import { getStylePatches, putStylePatch } from '../../db/repositories/letter-settings.js';
import type { Database } from '../../db/schema.js';
import { shanghaiDate } from '../../workflows/shared/dates.js';
import { buildLetter, formatDocNumber, type LetterFacts, type LetterModel } from './letter-model.js';
import { checkStyle, LetterStylePatchSchema, resolveStyle, StyleError, type LetterStyle, type LetterStylePatch } from './letter-style.js';
import { renderLetterDocx } from './render-docx.js';
import { renderLetterHtml } from './render-html.js';
import { renderLetterText } from './render-text.js';

// 预览: an administrator edits the deployment's or a unit's wording and sees the letter it makes
// (text, HTML, .docx) and every problem by field before anything is saved. Saving goes through
// the same checks, so a style that cannot make a letter never reaches a dispatch.

/** A made-up proposal for previews: every field a form can name has a value. */
export const SAMPLE_FACTS: Omit<LetterFacts, 'docNo' | 'unit' | 'contact' | 'date'> = {
  kind: 'reply',
  category: 'A',
  session: { name: '十三届二次会议' },
  proposal: { number: '第88号', title: '关于推进某项工作的建议（示例）' },
  proposers: [{ kind: 'member', name: '某某' }],
  leadUnit: null,
  coUnits: [{ name: '示例协办单位', shortName: '协办单位' }],
  body: '一、已开展的工作\n（一）示例。这里是答复正文的示例段落。\n二、下一步工作\n我们将认真研究，抓好落实。',
  override: null,
};

export interface StyleProblem {
  field: string;
  message: string;
}

export interface Preview {
  problems: StyleProblem[];
  style: LetterStyle | null;
  model: LetterModel | null;
  text: string | null;
  html: string | null;
  docx: Buffer | null;
}

function patchProblems(scope: string, result: z.ZodSafeParseResult<LetterStylePatch>): StyleProblem[] {
  return result.success ? [] : result.error.issues.map((i) => ({ field: `${scope}.${i.path.join('.')}`.replace(/\.$/, ''), message: i.message }));
}

export interface PreviewArgs {
  deployment?: unknown;
  unit?: unknown;
  /** The unit and facts to show; the sample proposal by default. */
  facts?: Partial<LetterFacts>;
  unitPrefix?: string;
  withDocx?: boolean;
}

export async function previewLetter(args: PreviewArgs): Promise<Preview> {
  const deployment = LetterStylePatchSchema.safeParse(args.deployment ?? {});
  const unit = LetterStylePatchSchema.safeParse(args.unit ?? {});
  const problems = [...patchProblems('deployment', deployment), ...patchProblems('unit', unit)];
  const empty: Preview = { problems, style: null, model: null, text: null, html: null, docx: null };
  if (!deployment.success || !unit.success) return empty;
  const style = resolveStyle(deployment.data, unit.data);
  problems.push(...checkStyle(style));
  if (problems.length) return { ...empty, style };

  const date = args.facts?.date ?? shanghaiDate(new Date().toISOString());
  const kind = args.facts?.kind ?? SAMPLE_FACTS.kind;
  const category = args.facts?.category === undefined ? SAMPLE_FACTS.category : args.facts.category;
  const facts: LetterFacts = {
    ...SAMPLE_FACTS,
    unit: { name: '示例单位', shortName: '示例单位' },
    contact: { name: '某某', phone: '0000-00000000' },
    ...args.facts,
    date,
    docNo: formatDocNumber(style, { kind, prefix: args.unitPrefix ?? '示例', year: Number(date.slice(0, 4)), serial: 1, category }),
  };
  try {
    const model = buildLetter(facts, style);
    return {
      problems,
      style,
      model,
      text: renderLetterText(model),
      html: renderLetterHtml(model, { standalone: true }),
      docx: args.withDocx === false ? null : await renderLetterDocx(model),
    };
  } catch (err) {
    if (err instanceof StyleError) return { ...empty, style, problems: [{ field: err.field, message: err.message }] };
    throw err;
  }
}

/** A unit's letter with a proposed change to either layer; the saved layers stand for the other. */
export async function previewUnitLetter(db: Kysely<Database>, args: { unitId: string; deployment?: unknown; unit?: unknown; withDocx?: boolean }): Promise<Preview> {
  const [unit] = await getUnits(db, [args.unitId]);
  if (!unit) return { problems: [{ field: 'unitId', message: `没有单位 ${args.unitId}` }], style: null, model: null, text: null, html: null, docx: null };
  const saved = await getStylePatches(db, unit.id);
  return previewLetter({
    deployment: args.deployment ?? saved.deployment ?? {},
    unit: args.unit ?? saved.unit ?? {},
    facts: { unit: { name: unit.name, shortName: unit.short_name }, contact: { name: unit.contact_name, phone: unit.contact_phone } },
    unitPrefix: unit.doc_prefix,
    withDocx: args.withDocx,
  });
}

/** Saves a deployment (unitId null) or unit style once it previews without problems. */
export async function saveLetterStyle(
  db: Kysely<Database>,
  args: { unitId: string | null; patch: unknown; userId: number | null; now: string },
): Promise<{ saved: boolean; problems: StyleProblem[] }> {
  const saved = await getStylePatches(db, args.unitId);
  const preview = args.unitId
    ? await previewLetter({ deployment: saved.deployment ?? {}, unit: args.patch, withDocx: false })
    : await previewLetter({ deployment: args.patch, withDocx: false });
  if (preview.problems.length) return { saved: false, problems: preview.problems };
  await putStylePatch(db, { unitId: args.unitId, body: LetterStylePatchSchema.parse(args.patch), userId: args.userId, now: args.now });
  return { saved: true, problems: [] };
}
