import { Command, CommanderError } from 'commander';
import { problemFromError } from '../http/errors.js';
import type { CommandHandler } from './common.js';
import { handlingCommands } from './commands/handling.js';
import { registrationCommands } from './commands/registration.js';
import { reportCommands } from './commands/reports.js';
import { CliContext } from './context.js';
import { CliFailure, failureOf, Output, type ExitCode, type Streams } from './output.js';

// `banli`: the proposal handling system from a terminal or a script. Every command acts as the
// user named by --as (or BANLI_AS) through the same helpers, schemas and visibility rule as the
// HTTP API; --json prints one JSON value; exit codes are 0 done, 1 refused, 2 bad input.

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, streams: Streams): Promise<ExitCode> {
  let code: ExitCode = 0;
  let out = new Output(argv.includes('--json'), streams);
  let ctx: CliContext | undefined;

  const wrap =
    (handler: CommandHandler) =>
    async (...params: unknown[]): Promise<void> => {
      // commander calls an action with its arguments, then the options, then the command.
      const command = params[params.length - 1] as Command;
      const opts = command.optsWithGlobals<Record<string, unknown>>();
      out = new Output(opts.json === true, streams);
      ctx = new CliContext(env, typeof opts.as === 'string' ? opts.as : undefined);
      code = await handler(ctx, out, params.slice(0, -2) as string[], opts);
    };

  const program = new Command('banli')
    .description('Banli 提案办理命令行：以 --as 指定用户的身份登记、导入、立案、交办、查询和导出')
    .option('--as <用户名>', '以该用户的身份操作（默认取环境变量 BANLI_AS）', env.BANLI_AS)
    .option('--json', '以 JSON 输出结果（出错时输出 { error, message, field }）')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void streams.stdout.write(s), writeErr: (s) => void streams.stderr.write(s) })
    .showHelpAfterError('（banli --help 查看用法）');
  registrationCommands(program, wrap);
  handlingCommands(program, wrap);
  reportCommands(program, wrap);
  for (const sub of program.commands) sub.exitOverride();

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are answers; anything else commander refuses is a usage mistake.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
    }
    const failure = err instanceof CliFailure ? err : asFailure(err, streams);
    out.failure(failure);
    code = failure.exitCode;
  } finally {
    await ctx?.close();
  }
  return code;
}

/** Whatever a command threw, as the API would have answered it; internals go to stderr only. */
function asFailure(err: unknown, streams: Streams): CliFailure {
  const mapped = problemFromError(err);
  if (mapped.type === 'INTERNAL') streams.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  return failureOf(mapped.body);
}
