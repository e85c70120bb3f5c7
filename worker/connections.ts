import { NativeConnection } from '@temporalio/worker';
import nodemailer, { type Transporter } from 'nodemailer';
import { createDb, type Db } from '../db/connection.js';
import type { Config } from '../client/settings.js';

export async function connectTemporalForWorker(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: config.temporal.address,
    tls: config.temporal.tls,
    ...(config.temporal.apiKey ? { apiKey: config.temporal.apiKey } : {}),
  });
}

export function connectDatabase(config: Config): Db {
  return createDb(config.databaseUrl, config.databasePoolMax);
}

export function createTransport(config: Config): Transporter {
  return nodemailer.createTransport(config.smtpUrl);
}

export function messageIdDomain(config: Config): string {
  const match = /@([^>\s]+)>?\s*$/.exec(config.mailFrom);
  return match?.[1] ?? 'banli.local';
}
