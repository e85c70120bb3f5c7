import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

// 文号: each unit numbers its replies (…提〔2026〕N号) and co-handling opinions (…提函〔2026〕N号)
// in a yearly sequence. The number is taken inside the caller's transaction, so a failed step
// rolls it back (no gaps) and a retried step finds the number it already took (no doubles).

const SUFFIX = { reply: '提', opinion: '提函' } as const;

export async function numberTakenBy(db: Kysely<Database>, key: string): Promise<string | null> {
  const row = await db.selectFrom('doc_numbers').select('doc_no').where('idempotency_key', '=', key).executeTakeFirst();
  return row?.doc_no ?? null;
}

export async function takeDocNumber(
  trx: Kysely<Database>,
  args: {
    key: string;
    unitId: string;
    docPrefix: string;
    year: number;
    kind: 'reply' | 'opinion';
    /** The unit's number form (prefix, kind word, year, category) around the serial taken here. */
    format?: (serial: number) => string;
  },
): Promise<string> {
  const earlier = await numberTakenBy(trx, args.key);
  if (earlier) return earlier;
  const seq = await trx
    .insertInto('unit_doc_sequences')
    .values({ unit_id: args.unitId, year: args.year, kind: args.kind, last_serial: 1 })
    .onConflict((oc) => oc.columns(['unit_id', 'year', 'kind']).doUpdateSet({ last_serial: sql`unit_doc_sequences.last_serial + 1` }))
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  const docNo = args.format ? args.format(seq.last_serial) : `${args.docPrefix}${SUFFIX[args.kind]}〔${args.year}〕${seq.last_serial}号`;
  await trx
    .insertInto('doc_numbers')
    .values({ idempotency_key: args.key, unit_id: args.unitId, year: args.year, kind: args.kind, serial: seq.last_serial, doc_no: docNo })
    .execute();
  return docNo;
}
