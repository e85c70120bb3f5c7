import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The local mail catcher's messages as the product reads them (GET /api/dev/mail). The catcher
// itself is dev tooling (scripts/lib/mail-catcher.ts) and writes this same shape.

export interface CaughtMail {
  id: string;
  receivedAt: string;
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  messageId: string | null;
  headers: Record<string, string>;
  attachments: { filename: string | null; contentType: string; size: number }[];
}

/** The messages a catcher stored in a folder, oldest first; a missing folder has none. */
export function readCaughtMail(dir: string): CaughtMail[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const mails: CaughtMail[] = [];
  for (const f of files.sort()) {
    // A file the catcher is still writing is skipped, not a reason to fail the whole list.
    try {
      mails.push(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CaughtMail);
    } catch {
      continue;
    }
  }
  return mails;
}
