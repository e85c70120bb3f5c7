import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  FrameAnchorType,
  Header,
  HorizontalPositionAlign,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  VerticalPositionAlign,
  type IRunOptions,
} from 'docx';
import type { LetterModel } from './letter-model.js';
import { escapeHtml } from './render-html.js';
import { breakTitle, signatureGap } from './render-text.js';

// The letter as .docx in the layout of Chinese official documents (GB/T 9704—2012), with every
// measure taken from the style's layout: A4, the four margins, a document grid of N lines of
// M characters, 2号 title, 3号 body, the category mark at the top right of page 1 and the page
// number “— 1 —” outside the text block, odd pages right and even pages left.

const TWIPS_PER_MM = 1440 / 25.4;
const twips = (mm: number) => Math.round(mm * TWIPS_PER_MM);
const halfPoints = (pt: number) => Math.round(pt * 2);

/**
 * The measures that make a page hold linesPerPage lines of charsPerLine body characters. Lines
 * are exact line spacing. Characters are not a character grid: LibreOffice
 * gives a 3号 character two cells of a grid narrower than 16 pt (156 mm / 28 is 15.8 pt), so
 * each character is narrowed instead by the run's spacing, rounded down so the last one fits.
 */
export function gridOf(layout: LetterModel['layout']) {
  const textWidthMm = layout.pageMm.width - layout.marginsMm.left - layout.marginsMm.right;
  const textHeightMm = layout.pageMm.height - layout.marginsMm.top - layout.marginsMm.bottom;
  const charPitchPt = (textWidthMm / layout.charsPerLine) * (72 / 25.4);
  const spacing = Math.min(0, Math.floor((charPitchPt - layout.sizesPt.body) * 20));
  return {
    // Rounded down, like the spacing: N lines must fit the text block, not overflow it by a twip.
    linePitch: Math.floor((textHeightMm * TWIPS_PER_MM) / layout.linesPerPage),
    /** One body character, spacing included, in twips. */
    charPitch: layout.sizesPt.body * 20 + spacing,
    /** w:spacing of every body run, in twips (≤ 0). */
    characterSpacing: spacing,
  };
}

/**
 * The font table, naming for each official face the face to use in its stead (w:altName) with
 * its Chinese character set, so a machine without 方正小标宋简体 or 仿宋_GB2312 still picks a
 * CJK serif instead of whatever it has first.
 */
function fontTable(layout: LetterModel['layout']): string {
  const entries = new Map<string, { alt: string | undefined; family: string }>();
  const add = (stack: readonly string[], family: string) => {
    if (!entries.has(stack[0]!)) entries.set(stack[0]!, { alt: stack[1], family });
  };
  add(layout.fonts.title, 'roman');
  add(layout.fonts.body, 'modern');
  add(layout.fonts.heading1, 'swiss');
  add(layout.fonts.heading2, 'script');
  add(layout.fonts.pageNumber, 'roman');
  add(layout.fonts.latin, 'roman');
  const fonts = [...entries].map(([name, { alt, family }]) => {
    const latin = name === layout.fonts.latin[0];
    return `<w:font w:name="${escapeHtml(name)}">${alt ? `<w:altName w:val="${escapeHtml(alt)}"/>` : ''}<w:charset w:val="${latin ? '00' : '86'}"/><w:family w:val="${family}"/><w:pitch w:val="variable"/></w:font>`;
  });
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${fonts.join('')}</w:fonts>`;
}

/**
 * The styles part: the body's face, size, narrowing and exact line pitch on the Normal style
 * (LibreOffice reads Normal, not the document defaults), with the text marked Chinese so line
 * breaking follows Chinese rules. w:overflowPunct is written on (Word's own default: a comma at
 * the margin may hang) because LibreOffice 7.4 reads the flag inverted, so there it turns
 * hanging off, and a hanging comma is exactly what LibreOffice fails to print on a 28-character
 * line: the comma vanished from the PDF until the flag was set (seen with pdftotext).
 */
function stylesXml(layout: LetterModel['layout'], grid: ReturnType<typeof gridOf>): string {
  const fonts = `<w:rFonts w:ascii="${escapeHtml(layout.fonts.latin[0]!)}" w:hAnsi="${escapeHtml(layout.fonts.latin[0]!)}" w:eastAsia="${escapeHtml(layout.fonts.body[0]!)}" w:cs="${escapeHtml(layout.fonts.latin[0]!)}"/>`;
  const size = halfPoints(layout.sizesPt.body);
  const rPr = `<w:rPr>${fonts}<w:spacing w:val="${grid.characterSpacing}"/><w:sz w:val="${size}"/><w:szCs w:val="${size}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>`;
  // 撑满版心: every page holds its full linesPerPage lines, so no line moves on for a widow.
  const pPr = `<w:pPr><w:widowControl w:val="0"/><w:overflowPunct/><w:spacing w:before="0" w:after="0" w:line="${grid.linePitch}" w:lineRule="exact"/></w:pPr>`;
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">',
    `<w:docDefaults><w:rPrDefault>${rPr}</w:rPrDefault><w:pPrDefault>${pPr}</w:pPrDefault></w:docDefaults>`,
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>${pPr}${rPr}</w:style>`,
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
    '</w:styles>',
  ].join('');
}

export async function renderLetterDocx(model: LetterModel): Promise<Buffer> {
  const { layout } = model;
  const grid = gridOf(layout);
  const latin = layout.fonts.latin[0]!;
  const face = (stack: readonly string[]) => ({ ascii: latin, hAnsi: latin, eastAsia: stack[0]!, cs: latin });
  const exact = { line: grid.linePitch, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
  const run = (text: string, options: Omit<IRunOptions, 'text'> = {}) => new TextRun({ text, ...options });
  const body = (children: TextRun[], options: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; rightChars?: number } = {}) =>
    new Paragraph({
      children,
      alignment: options.align ?? AlignmentType.JUSTIFIED,
      spacing: exact,
      indent: {
        ...(options.indent ? { firstLine: grid.charPitch * 2 } : {}),
        ...(options.rightChars ? { right: Math.round(grid.charPitch * options.rightChars) } : {}),
      },
    });
  const blank = () => body([run('')]);
  const titleLine = Math.max(grid.linePitch, Math.round(layout.sizesPt.title * 20 * 1.3));
  const titleChars = Math.floor(((layout.pageMm.width - layout.marginsMm.left - layout.marginsMm.right) * 72) / 25.4 / layout.sizesPt.title);

  const children: Paragraph[] = [
    body([run(model.number)], {
      align: layout.numberAlign === 'center' ? AlignmentType.CENTER : layout.numberAlign === 'left' ? AlignmentType.LEFT : AlignmentType.RIGHT,
    }),
    blank(),
    // A title line that needs two printed lines is broken evenly (w:br), not left to the word
    // processor, which would strand its last character or two.
    ...model.title.map(
      (line) =>
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { line: titleLine, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
          children: breakTitle(line, titleChars).map((part, i) =>
            run(part, { font: face(layout.fonts.title), size: halfPoints(layout.sizesPt.title), characterSpacing: 0, ...(i > 0 ? { break: 1 } : {}) }),
          ),
        }),
    ),
    blank(),
    body([run(model.salutation)]),
    body([run(`${model.receipt}${model.opening ?? ''}`)], { indent: true }),
  ];
  for (const block of model.body) {
    const leadRun =
      block.level === 1
        ? run(block.lead ?? '', { font: face(layout.fonts.heading1) })
        : block.level === 2
          ? run(block.lead ?? '', { font: face(layout.fonts.heading2) })
          : block.level === 3
            ? run(block.lead ?? '', { bold: true })
            : null;
    children.push(body([...(leadRun ? [leadRun] : []), run(block.text)], { indent: true }));
  }
  if (model.closing) children.push(body([run(model.closing)], { indent: true }));
  if (model.contact?.place === 'before_signature') children.push(body([run(model.contact.text)], { indent: true }));
  children.push(blank(), blank());
  const gap = signatureGap(model);
  if (model.signature) children.push(body([run(model.signature)], { align: AlignmentType.RIGHT, rightChars: gap.signature }));
  children.push(body([run(model.date)], { align: AlignmentType.RIGHT, rightChars: gap.date }));
  if (model.contact?.place === 'after_date') children.push(body([run(model.contact.text)], { indent: true }));
  if (model.copies) {
    // 版记: the last lines of the last page, between two rules; a frame anchored to the bottom of
    // the text block puts it there however long the body runs.
    const rule = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 };
    const textWidth = twips(layout.pageMm.width - layout.marginsMm.left - layout.marginsMm.right);
    children.push(
      new Paragraph({
        children: [run(model.copies, { size: halfPoints(layout.sizesPt.copies) })],
        spacing: { line: grid.linePitch, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
        indent: { left: grid.charPitch, right: grid.charPitch },
        border: { top: rule, bottom: rule },
        frame: {
          type: 'alignment',
          alignment: { x: HorizontalPositionAlign.CENTER, y: VerticalPositionAlign.BOTTOM },
          anchor: { horizontal: FrameAnchorType.MARGIN, vertical: FrameAnchorType.MARGIN },
          width: textWidth,
          height: grid.linePitch,
        },
      }),
    );
  }

  const pageNumber = (align: 'right' | 'left') =>
    new Footer({
      children: [
        new Paragraph({
          alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          indent: align === 'right' ? { right: halfPoints(layout.sizesPt.pageNumber) * 10 } : { left: halfPoints(layout.sizesPt.pageNumber) * 10 },
          // 4号半角宋体阿拉伯数字: the digits too are in the page number's face.
          children: [
            new TextRun({
              children: ['— ', PageNumber.CURRENT, ' —'],
              font: { ...face(layout.fonts.pageNumber), ascii: layout.fonts.pageNumber[0]!, hAnsi: layout.fonts.pageNumber[0]! },
              size: halfPoints(layout.sizesPt.pageNumber),
              characterSpacing: 0,
            }),
          ],
        }),
      ],
    });
  const markHeader = new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: model.mark ? [run(model.mark, { font: face(layout.fonts.heading1), size: halfPoints(layout.sizesPt.body) })] : [],
      }),
    ],
  });
  const emptyHeader = new Header({ children: [new Paragraph({ children: [] })] });
  // The page number's rule sits 7 mm below the text block.
  const footerMm = Math.max(5, layout.marginsMm.bottom - 7 - (layout.sizesPt.pageNumber * 25.4) / 72);

  const doc = new Document({
    creator: model.meta.unitName,
    title: model.title.join(''),
    evenAndOddHeaderAndFooters: true,
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: twips(layout.pageMm.width), height: twips(layout.pageMm.height) },
            margin: {
              top: twips(layout.marginsMm.top),
              bottom: twips(layout.marginsMm.bottom),
              left: twips(layout.marginsMm.left),
              right: twips(layout.marginsMm.right),
              header: twips(Math.min(20, layout.marginsMm.top / 2)),
              footer: twips(footerMm),
            },
          },
          // Lines come from exact spacing alone: under a line grid LibreOffice gives a 2号 title
          // line two grid lines, so the grid is named (for Word's ruler) but not imposed.
          grid: { type: DocumentGridType.DEFAULT, linePitch: grid.linePitch },
        },
        headers: { first: markHeader, default: emptyHeader, even: emptyHeader },
        footers: { first: pageNumber('right'), default: pageNumber('right'), even: pageNumber('left') },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc, false, [
    { path: 'word/fontTable.xml', data: fontTable(layout) },
    { path: 'word/styles.xml', data: stylesXml(layout, grid) },
  ]);
}
