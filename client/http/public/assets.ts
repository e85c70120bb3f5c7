import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';

// The public site's one stylesheet, read once and served under /public/assets/public.css?v=<hash>:
// a release changes the address, so a browser (and a proxy in front of a busy public site) may
// keep it for good. It is the public site's own, so the signed-in pages can change theirs freely.

const CSS_PATH = fileURLToPath(new URL('./public.css', import.meta.url));
let css: { body: string; version: string } | null = null;

function load(): { body: string; version: string } {
  if (!css) {
    const body = readFileSync(CSS_PATH, 'utf8');
    css = { body, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
  }
  return css;
}

export const STYLESHEET_PATH = '/public/assets/public.css';

export function stylesheetUrl(): string {
  return `${STYLESHEET_PATH}?v=${load().version}`;
}

export function assetRoutes(app: Hono): void {
  app.get(STYLESHEET_PATH, (c) => c.body(load().body, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
}
