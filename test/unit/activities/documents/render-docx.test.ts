import { describe, expect, it } from 'vitest';
import { buildLetter } from '../../../../activities/documents/letter-model.js';
import { GBT9704_LAYOUT, resolveStyle } from '../../../../activities/documents/letter-style.js';
import { gridOf, renderLetterDocx } from '../../../../activities/documents/render-docx.js';
import { paragraphsOf, zipEntry, zipEntryNames } from './docx-reader.js';
import { factsOf, SEED_004 } from './seed-fixtures.js';

// The .docx's page as GB/T 9704—2012 lays it out, read back from the XML a word processor reads.

const MM = 1440 / 25.4;

async function seedDocx(): Promise<Buffer> {
  return renderLetterDocx(buildLetter(factsOf(SEED_004), resolveStyle(SEED_004.deployment, SEED_004.unit)));
}

const attr = (xml: string, element: string, name: string) => new RegExp(`<${element}\\b[^>]*\\b${name}="([^"]+)"`).exec(xml)?.[1];

describe('the .docx layout (GB/T 9704)', () => {
  it('is A4 with margins 37 / 35 / 28 / 26 mm', async () => {
    const doc = zipEntry(await seedDocx(), 'word/document.xml').toString('utf8');
    expect(Number(attr(doc, 'w:pgSz', 'w:w'))).toBe(Math.round(210 * MM));
    expect(Number(attr(doc, 'w:pgSz', 'w:h'))).toBe(Math.round(297 * MM));
    expect([attr(doc, 'w:pgMar', 'w:top'), attr(doc, 'w:pgMar', 'w:bottom'), attr(doc, 'w:pgMar', 'w:left'), attr(doc, 'w:pgMar', 'w:right')].map(Number)).toEqual(
      [37, 35, 28, 26].map((mm) => Math.round(mm * MM)),
    );
  });

  it('sets 3号 (16 pt) 仿宋_GB2312 body lines at the pitch of 22 lines a page, narrowed so 28 characters fill a line', async () => {
    const styles = zipEntry(await seedDocx(), 'word/styles.xml').toString('utf8');
    const normal = /<w:style w:type="paragraph" w:default="1" w:styleId="Normal">[\s\S]*?<\/w:style>/.exec(styles)![0];
    expect(attr(normal, 'w:rFonts', 'w:eastAsia')).toBe('仿宋_GB2312');
    expect(attr(normal, 'w:sz', 'w:val')).toBe('32');
    const grid = gridOf(GBT9704_LAYOUT);
    expect(attr(normal, 'w:spacing', 'w:line')).toBe(String(grid.linePitch));
    expect(attr(normal, 'w:spacing', 'w:lineRule')).toBe('exact');
    // 225 mm of text height / 22 lines; 156 mm of line / 28 characters.
    expect(grid.linePitch * 22).toBeLessThanOrEqual(Math.round(225 * MM));
    expect(grid.linePitch * 23).toBeGreaterThan(Math.round(225 * MM));
    expect(grid.charPitch * 28).toBeLessThanOrEqual(Math.round(156 * MM));
    expect(grid.charPitch * 29).toBeGreaterThan(Math.round(156 * MM));
    expect(Number(/<w:spacing w:val="(-?\d+)"\/>/.exec(normal)![1])).toBe(grid.characterSpacing);
  });

  it('sets the title in 2号 (22 pt) 方正小标宋简体, centred, one paragraph a line', async () => {
    const doc = zipEntry(await seedDocx(), 'word/document.xml').toString('utf8');
    const titles = (doc.match(/<w:p>(?:(?!<\/w:p>)[\s\S])*?方正小标宋简体[\s\S]*?<\/w:p>/g) ?? []).map((p) => ({ text: paragraphsOf(p)[0], p }));
    expect(titles.map((t) => t.text)).toEqual(['关于市政协十二届三次会议2号提案的', '答 复 函']);
    for (const { p } of titles) {
      expect(attr(p, 'w:sz', 'w:val')).toBe('44');
      expect(p).toContain('<w:jc w:val="center"/>');
    }
  });

  it('names a fallback for every official face (Word reads w:altName), with the Chinese character set', async () => {
    const fonts = zipEntry(await seedDocx(), 'word/fontTable.xml').toString('utf8');
    for (const [face, alt] of [
      ['方正小标宋简体', '宋体'],
      ['仿宋_GB2312', '仿宋'],
      ['楷体_GB2312', '楷体'],
      ['黑体', 'SimHei'],
    ] as const) {
      expect(fonts).toContain(`<w:font w:name="${face}"><w:altName w:val="${alt}"/><w:charset w:val="86"/>`);
    }
  });

  it('numbers pages “— 1 —” in 4号, odd pages at the right and even pages at the left', async () => {
    const docx = await seedDocx();
    expect(zipEntry(docx, 'word/settings.xml').toString('utf8')).toContain('<w:evenAndOddHeaders/>');
    const doc = zipEntry(docx, 'word/document.xml').toString('utf8');
    const rels = zipEntry(docx, 'word/_rels/document.xml.rels').toString('utf8');
    const footerOf = (type: string) => {
      const id = new RegExp(`<w:footerReference w:type="${type}" r:id="(rId\\d+)"/>`).exec(doc)![1];
      const target =
        new RegExp(`<Relationship[^>]*Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ??
        new RegExp(`<Relationship[^>]*Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)![1];
      return zipEntry(docx, `word/${target}`).toString('utf8');
    };
    for (const [type, side] of [
      ['first', 'right'],
      ['default', 'right'],
      ['even', 'left'],
    ] as const) {
      const footer = footerOf(type);
      expect(footer).toContain(`<w:jc w:val="${side}"/>`);
      expect(footer).toMatch(
        /<w:t xml:space="preserve">— <\/w:t><w:fldChar w:fldCharType="begin"\/><w:instrText xml:space="preserve">PAGE<\/w:instrText>[\s\S]*<w:t xml:space="preserve"> —<\/w:t>/,
      );
      expect(attr(footer, 'w:sz', 'w:val')).toBe('28');
    }
    expect(zipEntryNames(docx)).toContain('word/fontTable.xml');
  });

  it('sets 抄送 between two rules in a frame at the foot of the last page', async () => {
    const doc = zipEntry(await seedDocx(), 'word/document.xml').toString('utf8');
    const copies = /<w:p>(?:(?!<w:p>)[\s\S])*?抄送：市府办，市政协提案委[\s\S]*?<\/w:p>/.exec(doc)![0];
    expect(copies).toMatch(/<w:framePr[^>]*w:yAlign="bottom"/);
    expect(copies).toMatch(/<w:pBdr><w:top w:val="single"[^>]*\/><w:bottom w:val="single"/);
  });
});
