import type { ProposerKind } from '../../workflows/shared/types.js';

// 提案类型 and 提案者 as people write them (个人, 联名, 党派 …; names separated by 、), turned
// into the registration schema's fields. Used by the xlsx import and by `banli register`'s
// flags, so a spreadsheet and a command line say the same thing the same way.

/** Labels an office uses for each proposal type; the API's own codes are accepted too. */
export const PROPOSER_KIND_INPUTS: Record<ProposerKind, readonly string[]> = {
  individual: ['个人', '个人提案', '委员', '委员个人'],
  joint: ['联名', '联名提案', '委员联名'],
  party: ['党派', '党派提案', '民主党派'],
  organisation: ['人民团体', '人民团体提案', '团体', '团体提案'],
  sector_group: ['界别', '界别小组', '小组', '界别提案', '界别（小组）提案'],
  special_committee: ['专委会', '专门委员会', '专委会提案'],
};

const BY_LABEL = new Map<string, ProposerKind>(
  (Object.entries(PROPOSER_KIND_INPUTS) as [ProposerKind, readonly string[]][]).flatMap(([kind, labels]) => [
    [kind, kind] as const,
    ...labels.map((l) => [l, kind] as const),
  ]),
);

/** The code for a typed label, or the text unchanged so that the schema names it as wrong. */
export function proposerKindOf(text: string): string {
  return BY_LABEL.get(text.trim()) ?? text.trim();
}

/**
 * Who signs a proposal of this type (a ProposerEntityKind): members for individual and joint
 * ones, else the body itself. An unknown type passes through for the schema to name it.
 */
export function entityKindOf(kind: string): string {
  return kind === 'individual' || kind === 'joint' ? 'member' : kind;
}

export interface ProposerLists {
  names: string[];
  emails: string[];
  phones: string[];
  sectors: string[];
}

export interface ListProblem {
  list: 'emails' | 'phones' | 'sectors';
  message: string;
}

/**
 * One proposer per name, in signing order (the first is 第一提案人). E-mails and phones are
 * either one per proposer in the same order or a single one, which is the first proposer's; a
 * single 界别 is everyone's. Anything else is a mismatch to name, not a guess.
 */
export function proposersFrom(kind: string, lists: ProposerLists): { proposers: Record<string, unknown>[]; problems: ListProblem[] } {
  const names = lists.names.filter((n) => n !== '');
  const problems: ListProblem[] = [];
  const aligned = (list: ListProblem['list'], values: string[], label: string, singleForAll: boolean): (string | null)[] => {
    const none = names.map(() => null);
    if (values.every((v) => v === '')) return none;
    if (values.length === names.length) return values.map((v) => v || null);
    if (values.length === 1) return singleForAll ? names.map(() => values[0]!) : names.map((_, i) => (i === 0 ? values[0]! : null));
    problems.push({ list, message: `${label}有${values.length}个，提案者有${names.length}位：请按提案者的顺序逐一填写（用“、”分隔），或只填第一提案人的` });
    return none;
  };
  const emails = aligned('emails', lists.emails, '邮箱', false);
  const phones = aligned('phones', lists.phones, '电话', false);
  const sectors = aligned('sectors', lists.sectors, '界别', true);
  const proposers = names.map((name, i) => ({
    kind: entityKindOf(kind),
    name,
    ...(emails[i] ? { email: emails[i] } : {}),
    ...(phones[i] ? { phone: phones[i] } : {}),
    ...(sectors[i] ? { sector: sectors[i] } : {}),
  }));
  return { proposers, problems };
}
