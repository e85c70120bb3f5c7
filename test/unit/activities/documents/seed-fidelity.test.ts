import { describe, expect, it } from 'vitest';
import { buildLetter, parseBody, type LetterModel } from '../../../../activities/documents/letter-model.js';
import { resolveStyle } from '../../../../activities/documents/letter-style.js';
import { renderLetterDocx } from '../../../../activities/documents/render-docx.js';
import { renderLetterHtml } from '../../../../activities/documents/render-html.js';
import { breakTitle, renderLetterText } from '../../../../activities/documents/render-text.js';
import { docxParagraphs, zipEntry, zipEntryNames, paragraphsOf } from './docx-reader.js';
import { FIXTURES, SEED_000, SEED_004, THIRD_STYLE, factsOf, type SeedFixture } from './seed-fixtures.js';

// Each published seed letter rebuilt from its facts and its deployment's and unit's style (data
// only, through one code path), compared with the original field by field: in the model, in
// the text that is mailed and stored, and in the .docx's word/document.xml.

function modelOf(fixture: SeedFixture): LetterModel {
  return buildLetter(factsOf(fixture), resolveStyle(fixture.deployment, fixture.unit));
}

/**
 * The letter's lines in reading order as the original shows them: every field the seed has, in
 * its place, and nothing where the seed has nothing. The body is the fixture's made-up body.
 */
function expectedLines(fixture: SeedFixture, model: LetterModel): string[] {
  const e = fixture.expected;
  const bodyLines = parseBody(fixture.facts.body).map((b) => `${b.lead ?? ''}${b.text}`);
  const opening = model.opening ? bodyLines.shift() : '';
  return [
    e.mark ? `${e.number}${'\u3000'.repeat(4)}${e.mark}` : e.number,
    ...e.title,
    e.salutation,
    `${e.receipt}${opening ?? ''}`,
    ...bodyLines,
    ...(e.closing ? [e.closing] : []),
    ...(e.contact && model.contact?.place === 'before_signature' ? [e.contact] : []),
    ...(e.signature ? [e.signature] : []),
    e.date,
    ...(e.contact && model.contact?.place === 'after_date' ? [e.contact] : []),
    ...(e.copies ? [e.copies] : []),
  ];
}

const trimmed = (lines: string[]) => lines.map((l) => l.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '')).filter(Boolean);

describe.each(FIXTURES.map((f) => [f.name, f] as const))('%s rebuilt from data', (_name, fixture) => {
  const model = modelOf(fixture);

  it('has every field of the original in the model', () => {
    const e = fixture.expected;
    expect({
      number: model.number,
      mark: model.mark,
      title: model.title,
      salutation: model.salutation,
      receipt: model.receipt,
      closing: model.closing,
      contact: model.contact?.text ?? null,
      signature: model.signature,
      date: model.date,
      copies: model.copies,
    }).toEqual(e);
  });

  it('has every field of the original, in order, in the text', () => {
    expect(trimmed(renderLetterText(model).split('\n'))).toEqual(expectedLines(fixture, model));
  });

  it('has every field of the original, in order, in the .docx (word/document.xml)', async () => {
    const docx = await renderLetterDocx(model);
    // A title too long for one printed line is broken inside its paragraph (w:br): layout, not
    // text, so the field is read with its breaks removed, and the break is checked on its own.
    const paragraphs = docxParagraphs(docx);
    expect(trimmed(paragraphs.map((p) => p.replace(/\n/g, '')))).toEqual(expectedLines(fixture, model));
    expect(paragraphs.filter((p) => p.includes('\n')).every((p) => model.title.includes(p.replace(/\n/g, '')))).toBe(true);
    // The mark is not body text: it sits in the first page's header, and only there.
    const headers = zipEntryNames(docx).filter((n) => /^word\/header\d+\.xml$/.test(n));
    const headerTexts = headers.map((h) => trimmed(paragraphsOf(zipEntry(docx, h).toString('utf8'))).join(''));
    expect(headerTexts.filter(Boolean)).toEqual(fixture.expected.mark ? [fixture.expected.mark] : []);
  });

  it('has every field of the original, in order, in the HTML', () => {
    // Block elements end lines; inline ones (a paragraph's lead in its heading face) do not.
    const html = renderLetterHtml(model)
      .replace(/<br>/g, '\n')
      .replace(/<\/?span[^>]*>/g, '')
      .replace(/<[^>]+>/g, '\n');
    const decoded = html.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
    const [first, ...rest] = expectedLines(fixture, model);
    // On a page the mark stands above the number, on its own.
    const head = fixture.expected.mark ? [fixture.expected.mark, fixture.expected.number] : [first!];
    expect(trimmed(decoded.split('\n'))).toEqual([...head, ...rest]);
  });
});

describe('long titles', () => {
  it('break evenly where the words allow, never stranding a character (GB/T 9704: 词意完整，排列对称)', async () => {
    expect(breakTitle('浙江省发展改革委关于省政协十三届二次会议第224号提案的答复', 20)).toEqual(['浙江省发展改革委关于省政协十三届二次会议', '第224号提案的答复']);
    // 20 characters with digits do not fit 20 places: digits bring a little space with them.
    expect(breakTitle('关于省政协十三届二次会议第88号提案的答复', 20)).toEqual(['关于省政协十三届二次会议', '第88号提案的答复']);
    expect(breakTitle('关于第12号提案的答复', 20)).toEqual(['关于第12号提案的答复']);
    // Never inside a number, never before a closing mark.
    for (const line of breakTitle('关于省政协某某届某某次会议第1234567号提案（重点提案）的答复意见函', 20)) {
      expect(/^[，。）》号]/.test(line)).toBe(false);
      expect(/\d$/.test(line) && /^\d/.test(line)).toBe(false);
    }
    const paragraphs = docxParagraphs(await renderLetterDocx(modelOf(SEED_000)));
    expect(paragraphs).toContain('浙江省发展改革委关于省政协十三届二次会议\n第224号提案的答复');
  });
});

describe('the seeds differ only in data', () => {
  it('000 and 004 come out of the same code with nothing but their facts and styles changed', () => {
    // Swap 004's style onto 000's facts: the letter takes 004's wording with 000's facts.
    const crossed = buildLetter({ ...factsOf(SEED_000), docNo: '浙发改提复〔2024〕263号' }, resolveStyle(SEED_004.deployment, SEED_004.unit));
    expect(crossed.title).toEqual(['关于市政协十三届二次会议224号提案的', '答 复 函']);
    expect(crossed.receipt).toBe(`您在市政协十三届二次会议期间所提的《${SEED_000.facts.proposal.title}》（政协提案224号）收悉。`);
    expect(crossed.copies).toBeNull(); // 000's proposal-level empty 抄送 still rules
    expect(crossed.signature).toBeNull();
  });

  it('the third style (another province, 案函, category appended, no copies) needs no code either', () => {
    const model = modelOf(THIRD_STYLE);
    expect(model.number).toBe('川工信案函〔2025〕58号B');
    expect(model.mark).toBeNull();
    expect(model.copies).toBeNull();
    // Co-units are named in the order they were assigned, inside the 收悉 sentence, never as a
    // paragraph of their own.
    expect(model.receipt).toContain('经商省财政厅、省科技厅，现将');
    const reversed = buildLetter({ ...factsOf(THIRD_STYLE), coUnits: [...THIRD_STYLE.facts.coUnits].reverse() }, resolveStyle(THIRD_STYLE.deployment));
    expect(reversed.receipt).toContain('经商省科技厅、省财政厅，现将');
  });
});

describe('the category mark', () => {
  it('is printed at the top right of page 1 when the style shows it and the reply is classed', async () => {
    const model = buildLetter({ ...factsOf(SEED_000), category: 'A' }, resolveStyle(SEED_000.deployment, { ...SEED_000.unit, mark: { show: true } }));
    expect(model.mark).toBe('A');
    expect(renderLetterText(model).split('\n')[0]).toBe(`浙发改提〔2024〕263号${'\u3000'.repeat(4)}A`);
    const docx = await renderLetterDocx(model);
    const document = zipEntry(docx, 'word/document.xml').toString('utf8');
    // titlePage: page 1 has its own header, which holds the mark, right-aligned.
    expect(document).toContain('<w:titlePg/>');
    const firstHeaderId = /<w:headerReference w:type="first" r:id="(rId\d+)"\/>/.exec(document)![1];
    const rels = zipEntry(docx, 'word/_rels/document.xml.rels').toString('utf8');
    const target = new RegExp(`Id="${firstHeaderId}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${firstHeaderId}"`).exec(rels)![1];
    const header = zipEntry(docx, `word/${target}`).toString('utf8');
    expect(trimmed(paragraphsOf(header))).toEqual(['A']);
    expect(header).toContain('<w:jc w:val="right"/>');
  });

  it('is not printed when the style says so, and never on a co-handling opinion', () => {
    expect(buildLetter({ ...factsOf(SEED_000), category: 'A' }, resolveStyle(SEED_000.deployment, { mark: { show: false } })).mark).toBeNull();
    expect(buildLetter({ ...factsOf(SEED_000), kind: 'opinion', category: 'A', leadUnit: { name: '某厅', shortName: '某厅' } }, resolveStyle()).mark).toBeNull();
  });
});
