// Shows a reply letter as printed: .docx → PDF (LibreOffice) → one PNG per page (pdftoppm).
//
//   npx tsx scripts/render-letter.ts                 the seed fixtures (000, 004) and the made-up third style
//   npx tsx scripts/render-letter.ts a.docx b.docx   any .docx files
//   --out DIR                                        output folder (default .tmp/letters, ignored by git)
//
// Needs the Debian packages libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildLetter } from '../activities/documents/letter-model.js';
import { DEFAULT_LETTER_STYLE, resolveStyle, type LetterLayout } from '../activities/documents/letter-style.js';
import { renderLetterDocx } from '../activities/documents/render-docx.js';
import { renderLetterHtml } from '../activities/documents/render-html.js';
import { FIXTURES, factsOf } from '../test/unit/activities/documents/seed-fixtures.js';

function need(command: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${command} is missing: apt-get install -y ${pkg}`);
  }
}

const xml = (text: string) => text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

/**
 * LibreOffice ignores a .docx's w:altName and asks fontconfig for 仿宋_GB2312, which Linux does
 * not have; these aliases give it the style's own fallbacks, in the style's order.
 */
export function fontconfigFor(layout: LetterLayout): string {
  const stacks = Object.values(layout.fonts);
  const aliases = stacks
    .filter((stack) => stack.length > 1)
    .map((stack) => `  <alias binding="same"><family>${xml(stack[0]!)}</family><prefer>${stack.slice(1).map((f) => `<family>${xml(f)}</family>`).join('')}</prefer></alias>`);
  return ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">', '<fontconfig>', '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>', ...aliases, '</fontconfig>', ''].join('\n');
}

/** One .docx to PDF and PNGs in `out`; returns the PNG paths. */
export function renderToPng(docx: string, out: string, dpi = 60, layout: LetterLayout = DEFAULT_LETTER_STYLE.layout): { pdf: string; pngs: string[]; fonts: string } {
  // A private LibreOffice profile: a desktop instance or a parallel run cannot lock us out.
  const profile = mkdtempSync(join(tmpdir(), 'banli-soffice-'));
  const fontsConf = join(profile, 'fonts.conf');
  writeFileSync(fontsConf, fontconfigFor(layout));
  try {
    execFileSync('soffice', [`-env:UserInstallation=${pathToFileURL(join(profile, 'user')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', out, docx], {
      stdio: 'pipe',
      timeout: 120_000,
      env: { ...process.env, FONTCONFIG_FILE: fontsConf },
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const stem = basename(docx).replace(/\.docx$/i, '');
  const pdf = join(out, `${stem}.pdf`);
  for (const f of readdirSync(out)) if (f.startsWith(`${stem}-`) && f.endsWith('.png')) rmSync(join(out, f));
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), pdf, join(out, stem)], { stdio: 'pipe' });
  const pngs = readdirSync(out)
    .filter((f) => f.startsWith(`${stem}-`) && f.endsWith('.png'))
    .sort()
    .map((f) => join(out, f));
  const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
  return { pdf, pngs, fonts };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = resolve(outAt >= 0 ? args.splice(outAt, 2)[1]! : '.tmp/letters');
  mkdirSync(out, { recursive: true });
  need('soffice', 'libreoffice-writer-nogui');
  need('pdftoppm', 'poppler-utils');

  let files = args.map((f) => resolve(f));
  if (files.length === 0) {
    files = [];
    for (const fixture of FIXTURES) {
      const model = buildLetter(factsOf(fixture), resolveStyle(fixture.deployment, fixture.unit));
      const docx = join(out, `${fixture.name}.docx`);
      writeFileSync(docx, await renderLetterDocx(model));
      writeFileSync(join(out, `${fixture.name}.html`), renderLetterHtml(model, { standalone: true }));
      files.push(docx);
    }
  }
  for (const file of files) {
    const { pdf, pngs, fonts } = renderToPng(file, out);
    console.log(`${basename(file)} → ${pdf}`);
    for (const png of pngs) console.log(`  ${png}`);
    console.log(fonts.split('\n').slice(2).filter(Boolean).map((l) => `  font: ${l.split(/\s+/)[0]}`).join('\n'));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
