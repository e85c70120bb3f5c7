import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { listPublished, type PublishedEntry } from '../../../db/repositories/publications.js';
import type { Database } from '../../../db/schema.js';
import { beijingMinute, entryPath } from './format.js';
import { FEED_PATH, SITE_NAME } from './layout.js';

// The Atom feed (RFC 4287) of the latest published replies, for readers and aggregators. Every
// text is escaped, and characters XML 1.0 cannot carry at all (control characters, lone
// surrogates) are dropped, so whatever a drafter typed the feed stays well-formed.

export const FEED_SIZE = 50;

// Allowed in XML 1.0: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: string): string {
  return value.replace(NOT_XML, '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

/** The site's address as the reader reached it: Atom wants absolute links and ids. */
function origin(c: Context): string {
  return new URL(c.req.url).origin;
}

function entryXml(e: PublishedEntry, base: string): string {
  const url = `${base}${entryPath(e.indexNo)}`;
  const summary = `${e.proposalNo ?? ''}提案《${e.proposalTitle}》的答复。索引号：${e.indexNo}；文件编号：${e.docNo}；发布机构：${e.organ}；发布日期：${beijingMinute(e.publishedAt)}`;
  return [
    '  <entry>',
    // The entry's address is its id: the 索引号 in it never changes once given.
    `    <id>${xmlText(url)}</id>`,
    `    <title type="text">${xmlText(e.title)}</title>`,
    `    <link rel="alternate" type="text/html" hreflang="zh-CN" href="${xmlText(url)}"/>`,
    `    <published>${e.publishedAt}</published>`,
    `    <updated>${e.publishedAt}</updated>`,
    `    <author><name>${xmlText(e.organ || e.unitName)}</name></author>`,
    e.classification ? `    <category term="${xmlText(e.classification)}"/>` : null,
    `    <summary type="text">${xmlText(summary)}</summary>`,
    '  </entry>',
  ]
    .filter((line): line is string => line !== null)
    .join('\n');
}

export function atomFeed(entries: PublishedEntry[], base: string): string {
  // With no entry yet, a fixed instant: a feed's <updated> must not change while nothing does.
  const updated = entries[0]?.publishedAt ?? '2015-01-01T00:00:00.000Z';
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    `  <id>${xmlText(base + FEED_PATH)}</id>`,
    `  <title type="text">${xmlText(SITE_NAME)}</title>`,
    '  <subtitle type="text">承办单位对政协委员提案的答复（公开版本），按发布时间从新到旧。</subtitle>',
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(base + FEED_PATH)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(`${base}/public`)}"/>`,
    `  <author><name>${xmlText(SITE_NAME)}</name></author>`,
    '  <generator>Banli</generator>',
    ...entries.map((e) => entryXml(e, base)),
    '</feed>',
    '',
  ].join('\n');
}

export async function feedResponse(c: Context, db: Kysely<Database>): Promise<Response> {
  const entries = await listPublished(db, { limit: FEED_SIZE });
  return c.body(atomFeed(entries, origin(c)), 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
}
