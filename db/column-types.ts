import type { ColumnType } from 'kysely';

// Timestamps are read back as Date by pg; we write ISO strings or Date.
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
