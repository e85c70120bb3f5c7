import { randomBytes } from 'node:crypto';
import { sha256 } from '../../../../db/repositories/blobs.js';

// A previewed workbook kept between the preview and the person's "import" click. A page without
// script cannot send a file twice, and a hidden copy of it in the confirm form would double the
// request past the body limit; so the bytes wait here, keyed by a random id and bound to the
// person who uploaded them, for a short while. This is process memory on purpose: nothing is
// written until the import itself, and an id this process does not know (it restarted, or the
// request reached another instance) is answered by asking for the file again, never by guessing.

const TTL_MS = 30 * 60_000;
/** Each staged file is at most one upload (the batch body limit, 8 MB by default): 16 of them hold at most 128 MB. */
const MAX_STAGED = 16;

export interface StagedImport {
  userId: number;
  sessionCode: string;
  fileName: string;
  bytes: Uint8Array;
  sha256: string;
  expiresAt: number;
}

const staged = new Map<string, StagedImport>();

function sweep(now: number): void {
  for (const [id, s] of staged) if (s.expiresAt <= now) staged.delete(id);
  // Oldest first (a Map keeps insertion order) when too many wait at once.
  while (staged.size >= MAX_STAGED) staged.delete(staged.keys().next().value!);
}

export function stageImport(userId: number, sessionCode: string, fileName: string, bytes: Uint8Array, now = Date.now()): string {
  sweep(now);
  const id = randomBytes(18).toString('base64url');
  staged.set(id, { userId, sessionCode, fileName, bytes, sha256: sha256(Buffer.from(bytes).toString('base64')), expiresAt: now + TTL_MS });
  return id;
}

/** The staged file, only for the person who staged it and only while it is fresh. */
export function stagedImport(id: string, userId: number, now = Date.now()): StagedImport | null {
  const s = staged.get(id);
  if (!s || s.userId !== userId || s.expiresAt <= now) return null;
  return s;
}
