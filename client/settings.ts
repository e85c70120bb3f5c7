import { Client, Connection } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

// One parser for every entry point (worker, HTTP server, the CLI to come): parsed once, typed
// and frozen; a missing or malformed variable stops the process with a message naming it.
// Workflows never read the environment.

const schema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1, 'TEMPORAL_ADDRESS is required (host:port of the Temporal frontend)'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('banli-proposals'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_CA_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL must be an smtp:// or smtps:// URL'),
  MAIL_FROM: z.string().min(3).default('Banli 提案办理系统 <banli@localhost>'),
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HTTP_UPDATE_WAIT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  HTTP_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  HTTP_BATCH_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  HEALTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  PUBLIC_BASE_URL: z.string().url().optional(),
  MAIL_CATCHER_DIR: z.string().optional(),
  TEMPORAL_UI_URL: z.string().optional(),
  MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(500),
  BANLI_LINK_SECRET: z
    .string({ message: "BANLI_LINK_SECRET is required (signs the proposers' personal feedback links)" })
    .min(16, 'BANLI_LINK_SECRET must be at least 16 characters'),
});

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  apiKey: string | undefined;
  tls: false | { serverNameOverride?: string; clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer };
}

/** How long the HTTP door waits and how much it reads; each has a default that suits the dev stack. */
export interface HttpLimits {
  /** A person waits at most this long for an action; then 503 and the same key returns the answer later. */
  updateWaitMs: number;
  bodyLimitBytes: number;
  /** Session-wide batches carry hundreds of proposals in one body. */
  batchBodyLimitBytes: number;
  healthTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = Object.freeze({
  updateWaitMs: 20_000,
  bodyLimitBytes: 1024 * 1024,
  batchBodyLimitBytes: 8 * 1024 * 1024,
  healthTimeoutMs: 2_000,
});

export interface Config {
  temporal: TemporalSettings;
  databaseUrl: string;
  databasePoolMax: number;
  smtpUrl: string;
  mailFrom: string;
  httpHost: string;
  httpPort: number;
  http: HttpLimits;
  publicBaseUrl: string;
  mailCatcherDir: string | undefined;
  temporalUiUrl: string | undefined;
  maxCachedWorkflows: number;
  linkSecret: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.TEMPORAL_TLS_CERT_PATH && !e.TEMPORAL_TLS_KEY_PATH) throw new ConfigError('TEMPORAL_TLS_KEY_PATH is required with TEMPORAL_TLS_CERT_PATH');
  const useTls = e.TEMPORAL_TLS === 'true' || !!e.TEMPORAL_TLS_CERT_PATH || !!e.TEMPORAL_API_KEY;
  const tls: TemporalSettings['tls'] = useTls
    ? {
        ...(e.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: e.TEMPORAL_TLS_SERVER_NAME } : {}),
        ...(e.TEMPORAL_TLS_CERT_PATH && e.TEMPORAL_TLS_KEY_PATH
          ? { clientCertPair: { crt: readFileSync(e.TEMPORAL_TLS_CERT_PATH), key: readFileSync(e.TEMPORAL_TLS_KEY_PATH) } }
          : {}),
        ...(e.TEMPORAL_TLS_CA_PATH ? { serverRootCACertificate: readFileSync(e.TEMPORAL_TLS_CA_PATH) } : {}),
      }
    : false;
  return Object.freeze({
    temporal: Object.freeze({ address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE, apiKey: e.TEMPORAL_API_KEY, tls }),
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    httpHost: e.HTTP_HOST,
    httpPort: e.HTTP_PORT,
    http: Object.freeze({
      updateWaitMs: e.HTTP_UPDATE_WAIT_MS,
      bodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES,
      batchBodyLimitBytes: e.HTTP_BATCH_BODY_LIMIT_BYTES,
      healthTimeoutMs: e.HEALTH_TIMEOUT_MS,
    }),
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://${e.HTTP_HOST}:${e.HTTP_PORT}`,
    mailCatcherDir: e.MAIL_CATCHER_DIR,
    temporalUiUrl: e.TEMPORAL_UI_URL,
    maxCachedWorkflows: e.MAX_CACHED_WORKFLOWS,
    linkSecret: e.BANLI_LINK_SECRET,
  });
}

/** The one way a client-side entry point (HTTP server, CLI, scripts) reaches Temporal. */
export async function connectTemporalClient(settings: TemporalSettings): Promise<Client> {
  const connection = await Connection.connect({
    address: settings.address,
    tls: settings.tls,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  });
  return new Client({ connection, namespace: settings.namespace });
}
