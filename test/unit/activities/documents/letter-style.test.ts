import { describe, expect, it } from 'vitest';
import { buildLetter, formatDocNumber, parseBody, proposalDigits } from '../../../../activities/documents/letter-model.js';
import { previewLetter } from '../../../../activities/documents/preview.js';
import { checkStyle, DEFAULT_LETTER_STYLE, fill, LetterStylePatchSchema, resolveStyle, StyleError } from '../../../../activities/documents/letter-style.js';
import { renderLetterText } from '../../../../activities/documents/render-text.js';
import { factsOf, SEED_000, SEED_004 } from './seed-fixtures.js';

describe('letter styles are data', () => {
  it('merges built-in defaults, the deployment and the unit: objects merge, lists replace', () => {
    const style = resolveStyle({ committee: '市政协', copies: { to: ['市府办'] } }, { copies: { to: [] }, closing: { reply: '专此答复。' } });
    expect(style.committee).toBe('市政协');
    expect(style.copies).toEqual({ ...DEFAULT_LETTER_STYLE.copies, to: [] });
    expect(style.closing).toEqual({ reply: '专此答复。', opinion: '' });
    expect(style.number).toEqual(DEFAULT_LETTER_STYLE.number);
  });

  it('refuses a patch with a field nobody knows, and a form with a placeholder its kind does not offer', () => {
    expect(LetterStylePatchSchema.safeParse({ colsing: { reply: 'x' } }).success).toBe(false);
    expect(() => fill('contact', '联系人：{name}，{tel}', { name: '王', phone: '1' })).toThrow(StyleError);
    const problems = checkStyle(resolveStyle({ contact: { form: '联系人：{name}，{tel}' }, number: { form: '{prefix}{kind}〔{year}〕号' } }));
    expect(problems.map((p) => p.field)).toEqual(['contact.form', 'number.form']);
    expect(problems[0]!.message).toContain('{tel}');
  });

  it('numbers per the unit’s form: kind word, year, serial and, where the form asks, the category', () => {
    const style = resolveStyle({ number: { form: '{prefix}{kind}〔{year}〕{serial}号{category}', kindWords: { reply: '案函' } } });
    expect(formatDocNumber(style, { kind: 'reply', prefix: '苏科', year: 2025, serial: 7, category: 'C' })).toBe('苏科案函〔2025〕7号C');
    expect(formatDocNumber(style, { kind: 'opinion', prefix: '苏科', year: 2025, serial: 7, category: null })).toBe('苏科提函〔2025〕7号');
    expect(formatDocNumber(DEFAULT_LETTER_STYLE, { kind: 'reply', prefix: '浙发改', year: 2024, serial: 263, category: 'A' })).toBe('浙发改提〔2024〕263号');
  });

  it('reads proposal numbers with or without 第 and 号', () => {
    expect(['第224号', '224', '2号', null].map(proposalDigits)).toEqual(['224', '224', '2', '']);
  });
});

describe('what the letter says is never hard-coded', () => {
  it('closes with the style’s closing, or not at all: no thanks is added', () => {
    const plain = buildLetter(factsOf(SEED_000), resolveStyle());
    expect(plain.closing).toBeNull();
    expect(renderLetterText(plain)).not.toContain('感谢');
    const own = buildLetter({ ...factsOf(SEED_000), override: { closing: '专此答复。' } }, resolveStyle());
    expect(own.closing).toBe('专此答复。');
  });

  it('copies: co-units (in assignment order), then the deployment’s or unit’s list, then the proposal’s own; or the proposal’s list alone, which may be empty', () => {
    const facts = {
      ...factsOf(SEED_004),
      coUnits: [
        { name: '温州市经济和信息化局', shortName: '市经信局' },
        { name: '温州市发展和改革委员会', shortName: '市发改委' },
      ],
      override: null,
    };
    const style = resolveStyle(SEED_004.deployment);
    expect(buildLetter(facts, style).copies).toBe('抄送：市经信局，市发改委，市府办，市政协提案委');
    expect(buildLetter({ ...facts, override: { copies: { add: ['余向前委员'], only: null } } }, style).copies).toBe(
      '抄送：市经信局，市发改委，市府办，市政协提案委，余向前委员',
    );
    expect(buildLetter({ ...facts, override: { copies: { add: [], only: ['市府办'] } } }, style).copies).toBe('抄送：市府办');
    expect(buildLetter({ ...facts, override: { copies: { add: [], only: [] } } }, style).copies).toBeNull();
    expect(buildLetter(facts, resolveStyle(SEED_004.deployment, { copies: { to: [], coUnits: false } })).copies).toBeNull();
  });

  it('names the co-units inside the 收悉 sentence, in assignment order, with no dangling comma', () => {
    const facts = {
      ...factsOf(SEED_000),
      coUnits: [
        { name: 'B', shortName: '省科技厅' },
        { name: 'A', shortName: '省经信厅' },
      ],
    };
    const model = buildLetter(facts, resolveStyle());
    expect(model.receipt).toBe(
      `您在省政协十三届二次会议上提出的第224号提案《${SEED_000.facts.proposal.title}》收悉，经综合省科技厅、省经信厅等单位意见，现答复如下：`,
    );
    expect(
      renderLetterText(model)
        .split('\n')
        .some((l) => /，$/.test(l.trim())),
    ).toBe(false);
  });

  it('says 你们 to several proposers and addresses each, collective proposers by name', () => {
    const model = buildLetter(
      {
        ...factsOf(SEED_000),
        proposers: [
          { kind: 'member', name: '甲' },
          { kind: 'party', name: '民盟省委' },
        ],
      },
      resolveStyle(),
    );
    expect(model.salutation).toBe('甲委员、民盟省委：');
    expect(model.receipt.startsWith('你们在')).toBe(true);
  });

  it('places the contact line where the style says, or leaves it out', () => {
    const after = buildLetter(factsOf(SEED_000), resolveStyle({ contact: { form: '（联系人：{name}；电话：{phone}）', place: 'after_date' } }));
    const lines = renderLetterText(after)
      .trimEnd()
      .split('\n')
      .map((l) => l.trim());
    expect(lines.indexOf('（联系人：韩志周；电话：0571-87054876）')).toBe(lines.indexOf('2024年10月25日') + 1);
    expect(buildLetter(factsOf(SEED_000), resolveStyle({ contact: { place: 'none' } })).contact).toBeNull();
  });

  it('leaves the contact line out rather than print a blank where the unit has no contact name (or phone)', () => {
    const style = resolveStyle(SEED_000.deployment, SEED_000.unit);
    const phoneOnly = { ...factsOf(SEED_000), contact: { name: null, phone: '0571-88888888' } };
    expect(buildLetter(phoneOnly, style).contact).toBeNull();
    // A wording that names only the phone still prints it.
    expect(buildLetter(phoneOnly, resolveStyle({ contact: { form: '联系电话：{phone}。' } })).contact?.text).toBe('联系电话：0571-88888888。');
  });

  it('writes a co-handling opinion (提函) to the lead unit with the same machinery', () => {
    const model = buildLetter(
      {
        ...factsOf(SEED_000),
        kind: 'opinion',
        docNo: '浙科提函〔2024〕9号',
        category: null,
        proposers: [],
        leadUnit: { name: '浙江省发展和改革委员会', shortName: '省发展改革委' },
        unit: { name: '浙江省科学技术厅', shortName: '省科技厅' },
      },
      resolveStyle(),
    );
    expect(model.title).toEqual(['关于省政协十三届二次会议第224号提案的会办意见']);
    expect(model.salutation).toBe('省发展改革委：');
    expect(model.signature).toBe('浙江省科学技术厅');
    expect(model.copies).toBeNull();
  });
});

describe('body sections', () => {
  it('finds 一、 headings, （一） and 1. paragraphs with their leading sentence, and plain paragraphs', () => {
    expect(parseBody('一、前期开展工作\n（一）统筹谋划。我们做了工作。\n1.培育企业。依托载体。\n\n　　这是一段。')).toEqual([
      { level: 1, lead: '一、前期开展工作', text: '' },
      { level: 2, lead: '（一）统筹谋划。', text: '我们做了工作。' },
      { level: 3, lead: '1.培育企业。', text: '依托载体。' },
      { level: 0, lead: null, text: '这是一段。' },
    ]);
  });
});

describe('preview', () => {
  it('shows an administrator the letter a style makes, and what is wrong with it, before it is saved', async () => {
    const ok = await previewLetter({ deployment: SEED_004.deployment, unit: SEED_004.unit });
    expect(ok.problems).toEqual([]);
    expect(ok.text).toContain('答 复 函');
    expect(ok.html).toContain('<article');
    expect(ok.docx!.subarray(0, 2).toString()).toBe('PK');

    const bad = await previewLetter({ unit: { signature: '{unitname}' } });
    expect(bad.problems).toEqual([expect.objectContaining({ field: 'signature' })]);
    expect(bad.text).toBeNull();
  });
});
