import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// `date` columns stay 'YYYY-MM-DD' strings: business dates are calendar days, not instants.
pg.types.setTypeParser(1082, (value) => value);
// bigint ids (events.id) come back as strings; they never need arithmetic.

export type Db = Kysely<Database>;

/**
 * Every wait on PostgreSQL is bounded, so a stalled server makes callers fail (and the API
 * answer 503) instead of hanging: getting a connection, one statement, a transaction left idle.
 */
export interface DbTimeouts {
  connectMs: number;
  statementMs: number;
  idleInTransactionMs: number;
}

export const DEFAULT_DB_TIMEOUTS: DbTimeouts = { connectMs: 5_000, statementMs: 15_000, idleInTransactionMs: 15_000 };

export function createDb(connectionString: string, max = 10, timeouts: DbTimeouts = DEFAULT_DB_TIMEOUTS): Db {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    // The client-side bound too: a server that stops answering mid-query (not just slow) still times out.
    query_timeout: timeouts.statementMs + 2_000,
  });
  // An idle pooled connection that PostgreSQL drops (a restart: 57P01) is discarded by the pool;
  // without a listener the 'error' event would end the whole process.
  pool.on('error', (err) => process.stderr.write(`[db] idle connection lost: ${err.message}\n`));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
