import { chineseDate } from '../../workflows/shared/dates.js';
import { fill, type LetterLayout, type LetterOverride, type LetterStyle } from './letter-style.js';

// 答复函 / 会办意见 as a structure, built from facts and a style and nothing else. Every renderer
// (text, HTML, .docx) reads this one model, so what the proposer gets by mail, what the office
// prints and what the public site shows cannot drift apart.

export type LetterKind = 'reply' | 'opinion';

export interface LetterFacts {
  kind: LetterKind;
  docNo: string;
  /** A / B / C, or null when not classed (a co-handling opinion). */
  category: string | null;
  session: { name: string };
  proposal: { number: string | null; title: string };
  /** Addressees in signing order (第一提案人 first); for an opinion, leave empty. */
  proposers: { kind: 'member' | 'party' | 'organisation' | 'sector_group' | 'special_committee'; name: string }[];
  unit: { name: string; shortName: string };
  /** For an opinion: the lead unit it is addressed to. */
  leadUnit: { name: string; shortName: string } | null;
  /** Co-units whose opinions the reply weaves in, in assignment order. */
  coUnits: { name: string; shortName: string }[];
  body: string;
  contact: { name: string | null; phone: string | null };
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
  override?: LetterOverride | null;
}

/** 0: a plain paragraph; 1: 一、 (黑体); 2: （一） (楷体 lead); 3: 1. (bold lead). */
export interface BodyBlock {
  level: 0 | 1 | 2 | 3;
  /** The heading, or a paragraph's leading sentence set in the heading's face. */
  lead: string | null;
  text: string;
}

export interface LetterModel {
  kind: LetterKind;
  number: string;
  mark: string | null;
  title: string[];
  salutation: string;
  /** The 收悉 sentence, exactly as the style's form makes it. */
  receipt: string;
  /** The body's first paragraph when it runs on after the 收悉 sentence. */
  opening: string | null;
  body: BodyBlock[];
  closing: string | null;
  contact: { text: string; place: 'before_signature' | 'after_date' } | null;
  signature: string | null;
  date: string;
  copies: string | null;
  /** The facts kept for whoever needs them again (publication, mail subjects). */
  meta: { isoDate: string; unitName: string; proposalNumber: string | null; proposalTitle: string; session: string; category: string | null };
  layout: LetterLayout;
}

/** '第224号' / '224' / '2号' → '224' / '2': forms say themselves whether 第 and 号 go around it. */
export function proposalDigits(number: string | null): string {
  return (number ?? '').trim().replace(/^第/, '').replace(/号$/, '');
}

export function formatDocNumber(style: LetterStyle, parts: { kind: LetterKind; prefix: string; year: number; serial: number; category: string | null }): string {
  return fill('number', style.number.form, {
    prefix: parts.prefix,
    kind: style.number.kindWords[parts.kind],
    year: String(parts.year),
    serial: String(parts.serial),
    category: parts.category ?? '',
  });
}

const HEADING_1 = /^[一二三四五六七八九十百]+、/;
const HEADING_2 = /^[（(][一二三四五六七八九十百]+[）)]/;
const HEADING_3 = /^\d+[.．、]/;

/** The leading sentence of a numbered paragraph (up to the first 。), or all of a short heading. */
function splitLead(line: string): { lead: string; text: string } {
  const stop = line.indexOf('。');
  if (stop < 0 || stop === line.length - 1) return { lead: line, text: '' };
  return { lead: line.slice(0, stop + 1), text: line.slice(stop + 1) };
}

export function parseBody(body: string): BodyBlock[] {
  return body
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^[\u3000]+/, ''))
    .filter(Boolean)
    .map((line): BodyBlock => {
      if (HEADING_1.test(line)) {
        // A 一、 line is a heading when it is one; a long one with sentences after its first is a
        // paragraph that opens with its heading.
        const { lead, text } = splitLead(line);
        return { level: 1, lead, text };
      }
      if (HEADING_2.test(line)) return { level: 2, ...splitLead(line) };
      if (HEADING_3.test(line)) return { level: 3, ...splitLead(line) };
      return { level: 0, lead: null, text: line };
    });
}

function nonEmpty(text: string): string | null {
  return text.trim() === '' ? null : text;
}

function copiesLine(style: LetterStyle, facts: LetterFacts): string | null {
  const own = facts.override?.copies;
  const names = own?.only ?? [...(style.copies.coUnits ? facts.coUnits.map((u) => u.shortName) : []), ...style.copies.to, ...(own?.add ?? [])];
  const unique = [...new Set(names.map((n) => n.trim()).filter(Boolean))].filter((n) => n !== facts.unit.shortName && n !== facts.unit.name);
  return unique.length ? `${style.copies.label}${unique.join(style.copies.joiner)}${style.copies.end}` : null;
}

function salutationOf(style: LetterStyle, facts: LetterFacts): string {
  if (facts.kind === 'opinion') return `${facts.leadUnit?.shortName ?? ''}${style.salutation.end}`;
  const names = facts.proposers.map((p) => fill('salutation', p.kind === 'member' ? style.salutation.member : style.salutation.collective, { name: p.name }));
  return `${names.join(style.salutation.joiner) || '提案者'}${style.salutation.end}`;
}

export function buildLetter(facts: LetterFacts, style: LetterStyle): LetterModel {
  const kind = facts.kind;
  const number = proposalDigits(facts.proposal.number);
  const session = fill('session', style.session, { committee: style.committee, session: facts.session.name });
  const unitVars = { unitName: facts.unit.name, shortName: facts.unit.shortName };
  const issuer = fill('issuer', style.issuer, unitVars);
  const title = fill('title', style.title[kind], { issuer, session, number, title: facts.proposal.title, ...unitVars })
    .split('\n')
    .filter((line) => line.trim() !== '');
  const you = facts.proposers.length > 1 ? style.you.many : style.you.one;
  const consolidation =
    kind === 'reply' && facts.coUnits.length > 0
      ? fill('consolidation', style.consolidation.form, { units: facts.coUnits.map((u) => u.shortName).join(style.consolidation.joiner) })
      : '';
  const receipt = fill('receipt', style.receipt[kind], {
    you,
    session,
    number,
    title: facts.proposal.title,
    consolidation,
    leadUnit: facts.leadUnit?.shortName ?? '',
  });

  let body = parseBody(facts.body);
  let opening: string | null = null;
  if (style.receipt.runsOn && body[0]?.level === 0) {
    opening = body[0].text;
    body = body.slice(1);
  }
  const closingForm = facts.override?.closing ?? style.closing[kind];
  const contactText =
    // Only when every part the wording names is known: never 联系人：，联系电话：… with a blank.
    style.contact.place !== 'none' &&
    (facts.contact.name || facts.contact.phone) &&
    (!style.contact.form.includes('{name}') || facts.contact.name) &&
    (!style.contact.form.includes('{phone}') || facts.contact.phone)
      ? fill('contact', style.contact.form, { name: facts.contact.name ?? '', phone: facts.contact.phone ?? '' })
      : '';
  const contact = style.contact.place === 'none' || !nonEmpty(contactText) ? null : { text: contactText, place: style.contact.place };
  const showMark = style.mark.show && kind === 'reply' && facts.category;

  return {
    kind,
    number: facts.docNo,
    mark: showMark ? fill('mark', style.mark.form, { category: facts.category ?? '' }) : null,
    title,
    salutation: salutationOf(style, facts),
    receipt,
    opening,
    body,
    closing: nonEmpty(fill('closing', closingForm, { you })),
    contact,
    signature: nonEmpty(fill('signature', style.signature, unitVars)),
    date: chineseDate(facts.date),
    copies: kind === 'reply' ? copiesLine(style, facts) : null,
    meta: {
      isoDate: facts.date,
      unitName: facts.unit.name,
      proposalNumber: facts.proposal.number,
      proposalTitle: facts.proposal.title,
      session,
      category: facts.category,
    },
    layout: style.layout,
  };
}
