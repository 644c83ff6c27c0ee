/**
 * What every operator command shares: reading its command line (with --help),
 * the service's own address and data directory, calling its operator API,
 * and turning main's outcome into an exit code. Failures are said in the
 * operator's terms: which option, which address, which variable.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { Config } from '../../server/config/config.ts';
import { AppError } from '../../server/errors.ts';

const HELP_OPTION = { help: { type: 'boolean', default: false } } as const;

/** The parsed values of a command line with `options` and --help. */
type CommandLineValues<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: T & typeof HELP_OPTION }>
>['values'];

/** A command line the command cannot run with; its message names the option. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses `args` (the process's arguments by default) against `options` plus
 * --help. Prints `usage` and returns undefined when help was asked for; an
 * unknown option, a missing value or a plain argument throws a UsageError.
 */
export function readCommandLine<T extends ParseArgsOptionsConfig>(
  usage: string,
  options: T,
  args: string[] = process.argv.slice(2),
): CommandLineValues<T> | undefined {
  const parsed = readCommandLineWithPositionals(usage, options, args);
  if (parsed?.positionals.length) {
    throw new UsageError(`Unexpected argument '${parsed.positionals[0]}'\n${usage}`);
  }

  return parsed?.values;
}

/** readCommandLine for a command that also takes plain arguments (a review id). */
export function readCommandLineWithPositionals<T extends ParseArgsOptionsConfig>(
  usage: string,
  options: T,
  args: string[] = process.argv.slice(2),
): { values: CommandLineValues<T>; positionals: string[] } | undefined {
  let parsed;
  try {
    parsed = parseArgs<{
      args: string[];
      options: T & typeof HELP_OPTION;
      allowPositionals: true;
    }>({
      args,
      options: { ...options, ...HELP_OPTION },
      allowPositionals: true,
    });
  } catch (err) {
    // node:util's messages name the option; its advice about '--' does not apply here.
    const message = err instanceof Error ? err.message.split('. To specify')[0] : '';
    throw new UsageError(`${message}\n${usage}`);
  }
  // T is open here, so TypeScript cannot see that --help is among the values.
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return undefined;
  }

  return { values: parsed.values, positionals: parsed.positionals };
}

/** The address the service listens on, as the configuration gives it. */
export function serviceListenUrl(config: Readonly<Config>): string {
  return `http://${config.http.host}:${config.http.port}`;
}

/**
 * Where the service keeps its token secret, database and embedded store: the
 * commands that read them (archive-token, verify-recording) must be run with
 * the service's own SARAPTA_DATA_DIR.
 */
export function dataDirNote(config: Readonly<Config>): string {
  const fromEnvironment = process.env.SARAPTA_DATA_DIR ? '' : ', the default';
  return (
    `This command reads the service's data directory: ${config.dataDir} ` +
    `(SARAPTA_DATA_DIR${fromEnvironment}). If the service runs, run this ` +
    'command with the same SARAPTA_DATA_DIR (and S3 settings) as the service.'
  );
}

/**
 * Runs `step`, which reads the service's data directory; a missing secret or
 * store is reported with where it was looked for and how to point elsewhere.
 */
export function fromDataDir<T>(config: Readonly<Config>, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONFIG_INVALID') {
      throw new Error(`${err.message}.\n${dataDirNote(config)}`, { cause: err });
    }
    throw err;
  }
}

/** Runs `main` and exits with its code; a failure prints its message and exits 1. */
export function runOperatorCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}

/** What the operator API answers: the data, or a stable error code and message. */
export type OperatorReply<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; details?: unknown } };

/** The operator key from SARAPTA_OPERATOR_KEY; undefined (and `usage` printed) without it. */
export function operatorKeyFromEnvironment(usage: string): string | undefined {
  const operatorKey = process.env.SARAPTA_OPERATOR_KEY;
  if (!operatorKey) console.error('SARAPTA_OPERATOR_KEY is not set.\n' + usage);

  return operatorKey || undefined;
}

/**
 * POSTs `body` as JSON to `apiPath` of the service at `base`, as the operator.
 * A service out of reach, or something else answering there, throws an error
 * that says so and how to put it right.
 */
export async function postToOperatorApi<T>(
  base: string,
  apiPath: string,
  operatorKey: string,
  body: unknown,
): Promise<OperatorReply<T>> {
  let response: Response;
  try {
    response = await fetch(new URL(apiPath, base), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${operatorKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new Error(unreachableMessage(base, err), { cause: err });
  }

  try {
    return (await response.json()) as OperatorReply<T>;
  } catch (err) {
    throw new Error(
      `The answer from ${base} (HTTP ${response.status}) is not the Sarapta API's: ` +
        'is --url (or SARAPTA_HTTP_HOST/SARAPTA_HTTP_PORT) the service?',
      { cause: err },
    );
  }
}

/** Why the service at `base` could not be reached, and what to do about it. */
export function unreachableMessage(base: string, err: unknown): string {
  const cause =
    err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return (
    `The service at ${base} cannot be reached${code}. Start it with ./scripts/start.sh ` +
    '(it is ready when /readyz answers 200), or point this command at it with --url ' +
    'or the SARAPTA_HTTP_HOST and SARAPTA_HTTP_PORT it was started with.'
  );
}

/** Prints a refusal of the operator API with its details and the usage. */
export function printRefusal(
  error: { code: string; message: string; details?: unknown },
  usage: string,
): void {
  console.error(`${error.code}: ${error.message}`);
  if (error.code === 'UNAUTHENTICATED') {
    console.error('SARAPTA_OPERATOR_KEY must be the key the service was started with.');
  }
  if (error.details) console.error(JSON.stringify(error.details, null, 2));
  console.error(usage);
}
