import type { LetterModel } from './letter-model.js';
import { signatureGap } from './render-text.js';

// The letter as HTML for the mail's HTML part, the office pages and the public site. Styles are
// inline so a mail client that drops <style> still shows the layout; fonts name the official
// face first and then the faces a reader's machine is likely to have.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

function fontFamily(stack: readonly string[], generic: 'serif' | 'sans-serif'): string {
  return [...stack.map((f) => `'${f.replace(/'/g, '')}'`), generic].join(', ');
}

export function renderLetterHtml(model: LetterModel, options: { standalone?: boolean } = {}): string {
  const { layout } = model;
  const em = `${layout.sizesPt.body}pt`;
  const body = fontFamily([...layout.fonts.body, ...layout.fonts.latin], 'serif');
  const p = (cls: string, style: string, inner: string) => `<p class="${cls}" style="margin:0;${style}">${inner}</p>`;
  const indent = 'text-indent:2em;';
  const parts: string[] = [];
  if (model.mark) parts.push(p('letter-mark', `text-align:right;font-family:${fontFamily(layout.fonts.heading1, 'sans-serif')};`, escapeHtml(model.mark)));
  parts.push(p('letter-number', `text-align:${layout.numberAlign};`, escapeHtml(model.number)));
  parts.push(
    `<h1 class="letter-title" style="margin:1.2em 0;text-align:center;font-weight:normal;font-size:${layout.sizesPt.title}pt;line-height:1.5;font-family:${fontFamily(layout.fonts.title, 'serif')};">${model.title.map(escapeHtml).join('<br>')}</h1>`,
  );
  parts.push(p('letter-salutation', '', escapeHtml(model.salutation)));
  parts.push(p('letter-receipt', indent, `${escapeHtml(model.receipt)}${escapeHtml(model.opening ?? '')}`));
  for (const block of model.body) {
    if (block.level === 0) {
      parts.push(p('letter-paragraph', indent, escapeHtml(block.text)));
      continue;
    }
    const face =
      block.level === 1
        ? `font-family:${fontFamily(layout.fonts.heading1, 'sans-serif')};`
        : block.level === 2
          ? `font-family:${fontFamily(layout.fonts.heading2, 'serif')};`
          : 'font-weight:bold;';
    const lead = `<span class="letter-lead" style="${face}">${escapeHtml(block.lead ?? '')}</span>`;
    parts.push(p(`letter-h${block.level}`, indent, `${lead}${escapeHtml(block.text)}`));
  }
  if (model.closing) parts.push(p('letter-closing', indent, escapeHtml(model.closing)));
  if (model.contact?.place === 'before_signature') parts.push(p('letter-contact', indent, escapeHtml(model.contact.text)));
  const gap = signatureGap(model);
  if (model.signature) parts.push(p('letter-signature', `margin-top:3em;text-align:right;padding-right:${gap.signature}em;`, escapeHtml(model.signature)));
  parts.push(p('letter-date', `${model.signature ? '' : 'margin-top:3em;'}text-align:right;padding-right:${gap.date}em;`, escapeHtml(model.date)));
  if (model.contact?.place === 'after_date') parts.push(p('letter-contact', indent, escapeHtml(model.contact.text)));
  if (model.copies) {
    parts.push(
      p(
        'letter-copies',
        `margin-top:2em;padding:0.3em 1em;border-top:1px solid #000;border-bottom:1px solid #000;font-size:${layout.sizesPt.copies}pt;`,
        escapeHtml(model.copies),
      ),
    );
  }
  const article = `<article class="letter" lang="zh-CN" style="max-width:${layout.charsPerLine + 1}em;margin:0 auto;font-family:${body};font-size:${em};line-height:1.8;color:#000;">\n${parts.join('\n')}\n</article>`;
  if (!options.standalone) return article;
  const m = layout.marginsMm;
  return [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>${escapeHtml(model.title.join(''))}</title>`,
    `<style>@page{size:${layout.pageMm.width}mm ${layout.pageMm.height}mm;margin:${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm}body{margin:2em 1em;background:#fff}</style>`,
    '</head><body>',
    article,
    '</body></html>',
  ].join('\n');
}
