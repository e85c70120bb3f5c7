import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as schemaV1 from './migrations/2026-11-23T0000-schema-v1.js';
import * as sessionPolicy from './migrations/2026-11-23T0100-session-policy.js';
import * as deadlineDetails from './migrations/2026-11-23T0200-deadline-details.js';
import * as proposalNumbers from './migrations/2026-11-23T0300-proposal-numbers.js';
import * as uniqueDocPrefix from './migrations/2026-11-23T0400-unique-doc-prefix.js';
import * as lettersDocumentsMail from './migrations/2026-11-24T0100-letters-documents-mail.js';
import * as publication from './migrations/2026-11-24T0200-publication.js';
import * as pageSessions from './migrations/2026-11-25T0100-page-sessions.js';
import * as searchIndex from './migrations/2026-12-02T0200-search-index.js';
import * as statisticsIndexes from './migrations/2026-12-02T0300-statistics-indexes.js';
import * as taskOutcomes from './migrations/2026-12-02T0400-task-outcomes.js';
import * as publicationEntries from './migrations/2026-12-02T1300-publication-entries.js';
import * as statisticsFacts from './migrations/2026-12-02T1400-statistics-facts.js';
import * as unitRemits from './migrations/2026-12-02T1500-unit-remits.js';
import * as officeDecisions from './migrations/2026-12-02T1700-office-decisions.js';
import * as signoffChains from './migrations/2026-12-02T1800-signoff-chains.js';
import * as proposalListKeyset from './migrations/2026-12-02T1900-proposal-list-keyset.js';
import * as jointConsent from './migrations/2026-12-02T1600-joint-consent.js';

// Migrations are listed explicitly (not read from a folder) so bundlers and tsx resolve them alike.
class StaticMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve({
      '2026-11-23T0000-schema-v1': schemaV1,
      '2026-11-23T0100-session-policy': sessionPolicy,
      '2026-11-23T0200-deadline-details': deadlineDetails,
      '2026-11-23T0300-proposal-numbers': proposalNumbers,
      '2026-11-23T0400-unique-doc-prefix': uniqueDocPrefix,
      '2026-11-24T0100-letters-documents-mail': lettersDocumentsMail,
      '2026-11-24T0200-publication': publication,
      '2026-11-25T0100-page-sessions': pageSessions,
      '2026-12-02T0200-search-index': searchIndex,
      '2026-12-02T0300-statistics-indexes': statisticsIndexes,
      '2026-12-02T0400-task-outcomes': taskOutcomes,
      '2026-12-02T1300-publication-entries': publicationEntries,
      '2026-12-02T1400-statistics-facts': statisticsFacts,
      '2026-12-02T1500-unit-remits': unitRemits,
      '2026-12-02T1600-joint-consent': jointConsent,
      '2026-12-02T1700-office-decisions': officeDecisions,
      '2026-12-02T1800-signoff-chains': signoffChains,
      '2026-12-02T1900-proposal-list-keyset': proposalListKeyset,
    });
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error(`database migration failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
