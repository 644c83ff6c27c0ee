/**
 * What every operator command shares: reading its command line (with --help),
 * the service's own address, calling its operator API, and turning main's
 * outcome into an exit code.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { Config } from '../../server/config/config.ts';

const HELP_OPTION = { help: { type: 'boolean', default: false } } as const;

/** The parsed values of a command line with `options` and --help. */
type CommandLineValues<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: T & typeof HELP_OPTION }>
>['values'];

/**
 * Parses the process's arguments against `options` plus --help. Prints `usage`
 * and returns undefined when help was asked for; unknown options throw.
 */
export function readCommandLine<T extends ParseArgsOptionsConfig>(
  usage: string,
  options: T,
): CommandLineValues<T> | undefined {
  const { values } = parseArgs<{ options: T & typeof HELP_OPTION }>({
    options: { ...options, ...HELP_OPTION },
  });
  // T is open here, so TypeScript cannot see that --help is among the values.
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    return undefined;
  }

  return values;
}

/** The address the service listens on, as the configuration gives it. */
export function serviceListenUrl(config: Readonly<Config>): string {
  return `http://${config.http.host}:${config.http.port}`;
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

/** POSTs `body` as JSON to `apiPath` of the service at `base`, as the operator. */
export async function postToOperatorApi<T>(
  base: string,
  apiPath: string,
  operatorKey: string,
  body: unknown,
): Promise<OperatorReply<T>> {
  const response = await fetch(new URL(apiPath, base), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${operatorKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });

  return (await response.json()) as OperatorReply<T>;
}

/** Prints a refusal of the operator API with its details and the usage. */
export function printRefusal(
  error: { code: string; message: string; details?: unknown },
  usage: string,
): void {
  console.error(`${error.code}: ${error.message}`);
  if (error.details) console.error(JSON.stringify(error.details, null, 2));
  console.error(usage);
}
