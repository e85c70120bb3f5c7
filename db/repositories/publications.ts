import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

// Published replies: the unit's publishing profile, the 索引号 sequence, and the reads of the
// public site (list, search, one entry, the feed) and of the office (the 20-working-day window).
// The public reads return published entries only (publication_entries, one per published
// letter): a proposal not published, or not public (mode none), is not there, whatever id is asked for.

export async function getPublicationProfile(db: Kysely<Database>, unitId: string) {
  return db.selectFrom('publication_profiles').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
}

export async function putPublicationProfile(
  db: Kysely<Database>,
  p: { unitId: string; orgCode: string; organ: string; classification?: string; now: string },
): Promise<void> {
  const values = { org_code: p.orgCode, organ: p.organ, classification: p.classification ?? '政协委员提案', updated_at: p.now };
  await db
    .insertInto('publication_profiles')
    .values({ unit_id: p.unitId, ...values })
    .onConflict((oc) => oc.column('unit_id').doUpdateSet(values))
    .execute();
}

/** Sets where an organisation's yearly serial stands (other systems publish under the same code). */
export async function setPublicationSerial(db: Kysely<Database>, orgCode: string, year: number, lastSerial: number): Promise<void> {
  await db
    .insertInto('publication_sequences')
    .values({ org_code: orgCode, year, last_serial: lastSerial })
    .onConflict((oc) => oc.columns(['org_code', 'year']).doUpdateSet({ last_serial: lastSerial }))
    .execute();
}

/** 索引号 <organisation code>/<year>-<serial>: the next serial, taken in the caller's transaction. */
export async function takeIndexNo(trx: Kysely<Database>, orgCode: string, year: number): Promise<string> {
  const row = await trx
    .insertInto('publication_sequences')
    .values({ org_code: orgCode, year, last_serial: 1 })
    .onConflict((oc) => oc.columns(['org_code', 'year']).doUpdateSet({ last_serial: sql`publication_sequences.last_serial + 1` }))
    .returning('last_serial')
    .executeTakeFirstOrThrow();
  return `${orgCode}/${year}-${row.last_serial}`;
}

export interface PublishedEntry {
  workflowId: string;
  indexNo: string;
  classification: string;
  organ: string;
  generatedOn: string;
  publishedAt: string;
  docNo: string;
  title: string;
  sessionCode: string;
  proposalNo: string | null;
  /** The proposal's own title: public, as the letter's 收悉 sentence quotes it. */
  proposalTitle: string;
  unitId: string;
  unitName: string;
  mode: 'full' | 'summary';
  publicDocumentId: number;
}

function published(db: Kysely<Database>) {
  return db
    .selectFrom('publication_entries as pub')
    .innerJoin('publications as decision', 'decision.workflow_id', 'pub.workflow_id')
    .innerJoin('proposals as p', 'p.workflow_id', 'pub.workflow_id')
    .innerJoin('units as u', 'u.id', 'pub.unit_id')
    .innerJoin('documents as d', 'd.id', 'pub.public_document_id')
    .where('decision.mode', 'in', ['full', 'summary'])
    .select([
      'pub.workflow_id',
      'pub.index_no',
      'pub.classification',
      'pub.organ',
      'pub.generated_on',
      'pub.published_at',
      'pub.doc_no',
      'decision.mode',
      'pub.public_document_id',
      'd.title',
      'p.session_code',
      'p.proposal_no',
      'p.title as proposal_title',
      'u.id as unit_id',
      'u.name as unit_name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof published>['execute']>>[number];

function entry(r: Row): PublishedEntry {
  return {
    workflowId: r.workflow_id,
    indexNo: r.index_no,
    classification: r.classification,
    organ: r.organ,
    generatedOn: r.generated_on ?? '',
    publishedAt: r.published_at.toISOString(),
    docNo: r.doc_no ?? '',
    title: r.title,
    sessionCode: r.session_code,
    proposalNo: r.proposal_no,
    proposalTitle: r.proposal_title,
    unitId: r.unit_id,
    unitName: r.unit_name,
    mode: r.mode === 'summary' ? 'summary' : 'full',
    publicDocumentId: r.public_document_id,
  };
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export interface PublishedFilter {
  sessionCode?: string | undefined;
  unitId?: string | undefined;
  keyword?: string | undefined;
}

function filtered(db: Kysely<Database>, filter: PublishedFilter) {
  let query = published(db);
  if (filter.sessionCode) query = query.where('p.session_code', '=', filter.sessionCode);
  if (filter.unitId) query = query.where('pub.unit_id', '=', filter.unitId);
  const keyword = filter.keyword?.trim();
  if (keyword) {
    const like = `%${escapeLike(keyword)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('d.title', 'ilike', like),
        eb('pub.doc_no', 'ilike', like),
        eb.exists(eb.selectFrom('text_blobs as t').select('t.hash').whereRef('t.hash', '=', 'd.content_hash').where('t.content', 'ilike', like)),
      ]),
    );
  }
  return query;
}

/** The public list, newest first: by session, unit and a keyword in the title or the public text. */
export async function listPublished(db: Kysely<Database>, filter: PublishedFilter & { limit?: number; offset?: number } = {}): Promise<PublishedEntry[]> {
  const rows = await filtered(db, filter)
    .orderBy('pub.published_at', 'desc')
    .orderBy('pub.index_no', 'desc')
    .limit(Math.min(Math.max(filter.limit ?? 20, 1), 100))
    .offset(Math.max(filter.offset ?? 0, 0))
    .execute();
  return rows.map(entry);
}

/** How many published entries the same filter finds, for the public list's pages. */
export async function countPublished(db: Kysely<Database>, filter: PublishedFilter = {}): Promise<number> {
  const row = await db
    .selectFrom(filtered(db, filter).as('f'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The sessions and units that have published entries: what the public search can choose from. */
export async function publishedFacets(db: Kysely<Database>): Promise<{ sessions: { code: string; name: string }[]; units: { id: string; name: string }[] }> {
  const [sessions, units] = await Promise.all([
    published(db)
      .innerJoin('sessions as s', 's.code', 'p.session_code')
      .clearSelect()
      .select(['s.code', 's.name', 's.year'])
      .distinct()
      .orderBy('s.year', 'desc')
      .orderBy('s.code')
      .execute(),
    published(db).clearSelect().select(['u.id', 'u.name']).distinct().orderBy('u.name').execute(),
  ]);
  return { sessions: sessions.map((s) => ({ code: s.code, name: s.name })), units: units.map((u) => ({ id: u.id, name: u.name })) };
}

/** One published entry by its 索引号, with its public HTML; undefined for anything not published. */
export async function getPublished(db: Kysely<Database>, indexNo: string): Promise<(PublishedEntry & { html: string; text: string }) | undefined> {
  const row = await published(db).where('pub.index_no', '=', indexNo).executeTakeFirst();
  if (!row) return undefined;
  const [html, text] = await Promise.all([
    db.selectFrom('document_renditions').select('content').where('document_id', '=', row.public_document_id).where('format', '=', 'html').executeTakeFirst(),
    db
      .selectFrom('documents as d')
      .innerJoin('text_blobs as t', 't.hash', 'd.content_hash')
      .select('t.content')
      .where('d.id', '=', row.public_document_id)
      .executeTakeFirst(),
  ]);
  return { ...entry(row), html: html?.content.toString('utf8') ?? '', text: text?.content ?? '' };
}

/** Whether each decided publication kept its window (null while neither published nor late). */
export async function publicationWindow(db: Kysely<Database>, filter: { sessionCode?: string; today: string }) {
  let query = db
    .selectFrom('publications as pub')
    .innerJoin('proposals as p', 'p.workflow_id', 'pub.workflow_id')
    .select(['pub.workflow_id', 'pub.mode', 'pub.due_date', 'pub.published_at', 'p.session_code', 'p.title', 'pub.unit_id'])
    .where('pub.due_date', 'is not', null);
  if (filter.sessionCode) query = query.where('p.session_code', '=', filter.sessionCode);
  const rows = await query.orderBy('pub.due_date').execute();
  return rows.map((r) => {
    const publishedOn = r.published_at ? shanghaiDay(r.published_at) : null;
    const kept = publishedOn ? publishedOn <= r.due_date! : r.due_date! < filter.today ? false : null;
    return { workflowId: r.workflow_id, title: r.title, sessionCode: r.session_code, unitId: r.unit_id, mode: r.mode, dueDate: r.due_date!, publishedOn, kept };
  });
}

function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
