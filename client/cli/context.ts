import type { Client } from '@temporalio/client';
import { cachedCalendarLoader } from '../../activities/deadlines/calendar-cache.js';
import { createDb, type Db } from '../../db/connection.js';
import type { UserRow } from '../../db/schema.js';
import { actorOf } from '../http/auth.js';
import { ConfigError, connectTemporalClient, loadConfig, type Config } from '../settings.js';
import { ProposalClient } from '../temporal.js';
import { CliFailure } from './output.js';

// What a command runs against: the settings every entry point parses (client/settings.ts), the
// database, and Temporal only when the command changes something. The CLI is a door like the
// HTTP API, but it trusts whoever holds DATABASE_URL: it acts as the named user (--as), looked
// up in the users table, with that user's role and unit, and the workflows check that user's
// rights exactly as they check a signed-in person's.

/**
 * The CLI sends no mail and signs no feedback links (the worker does both), so these two are not
 * asked of it; every other variable means what it means for the server.
 */
const NOT_USED_BY_THE_CLI = { SMTP_URL: 'smtp://not-used-by-the-cli.invalid', BANLI_LINK_SECRET: 'not-used-by-the-cli-000000' };

export class CliContext {
  private config: Readonly<Config> | undefined;
  private database: Db | undefined;
  private temporal: Client | undefined;
  private client: ProposalClient | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly username: string | undefined,
  ) {}

  settings(): Readonly<Config> {
    if (!this.config) {
      try {
        this.config = loadConfig({ ...NOT_USED_BY_THE_CLI, ...this.env });
      } catch (err) {
        if (err instanceof ConfigError)
          throw new CliFailure(2, 'INVALID_INPUT', `${err.message}\n（banli 命令读取与服务器相同的环境变量：DATABASE_URL、TEMPORAL_ADDRESS 等）`);
        throw err;
      }
    }
    return this.config;
  }

  get db(): Db {
    this.database ??= createDb(this.settings().databaseUrl, 4);
    return this.database;
  }

  /** Connects on first use: reading commands never need Temporal. */
  async proposals(): Promise<ProposalClient> {
    if (!this.client) {
      const settings = this.settings();
      try {
        this.temporal = await connectTemporalClient(settings.temporal);
      } catch (err) {
        throw new CliFailure(1, 'UNAVAILABLE', `无法连接 Temporal（${settings.temporal.address}）：${(err as Error).message}`);
      }
      this.client = new ProposalClient(this.temporal, settings.temporal.taskQueue, { waitMs: settings.http.updateWaitMs });
    }
    return this.client;
  }

  readonly calendarNow = () => cachedCalendarLoader(this.db)();

  /** The user named by --as (or BANLI_AS): who the command acts as. */
  async user(): Promise<UserRow> {
    const username = this.username?.trim();
    if (!username) throw new CliFailure(2, 'INVALID_INPUT', '请用 --as <用户名> 指明以哪个用户的身份操作（或设置环境变量 BANLI_AS）', 'as');
    const user = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    if (!user) throw new CliFailure(2, 'INVALID_INPUT', `没有用户名为「${username}」的用户`, 'as');
    if (user.disabled) throw new CliFailure(1, 'FORBIDDEN_ROLE', `用户「${username}」已停用`, 'as');
    return user;
  }

  async actor() {
    return actorOf(await this.user());
  }

  async close(): Promise<void> {
    await this.temporal?.connection.close().catch(() => undefined);
    await this.database?.destroy().catch(() => undefined);
  }
}
