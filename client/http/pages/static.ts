import type { Hono } from 'hono';
import type { PageEnv } from '../middleware/session.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The pages' one stylesheet and one script, read once at start-up from client/http/static/ and
// served under /static/<name>?v=<hash of the content>: a new release changes the address, so the
// browser may keep a file for good. Only these names are served; no path ever reaches the disk.

const FILES = {
  'app.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
} as const;
type StaticName = keyof typeof FILES;

const loaded = new Map<StaticName, { body: string; version: string }>();

function load(name: StaticName): { body: string; version: string } {
  let file = loaded.get(name);
  if (!file) {
    const body = readFileSync(fileURLToPath(new URL(`../static/${name}`, import.meta.url)), 'utf8');
    file = { body, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
    loaded.set(name, file);
  }
  return file;
}

export function staticUrl(name: StaticName): string {
  return `/static/${name}?v=${load(name).version}`;
}

export function staticRoutes(app: Hono<PageEnv>): void {
  for (const name of Object.keys(FILES) as StaticName[]) {
    app.get(`/static/${name}`, (c) => c.body(load(name).body, 200, { 'Content-Type': FILES[name] }));
  }
}
