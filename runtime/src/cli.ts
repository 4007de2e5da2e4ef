#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, readConfig, settings } from './config.js';
import { runDemo } from './demo/index.js';
import { startRuntime } from './start.js';

const usage = `Usage: lockstep start [options]
       lockstep demo [options]   two linked demo instances; see lockstep demo --help

Starts a Lockstep instance: the Table API, users and the sync runtime.

Options (each also read from the environment variable shown):
${settings.map((s) => `  --${s.flag.padEnd(18)} ${s.env.padEnd(30)} ${s.help}${s.fallback ? ` (default ${s.fallback})` : ''}`).join('\n')}
  --help                                               show this
`;

async function start(flags: Record<string, string | undefined>): Promise<void> {
  const runtime = await startRuntime(readConfig(flags, process.env), (text) => process.stdout.write(text));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`lockstep: shutdown on ${signal} failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean' },
        ...Object.fromEntries(settings.map((s) => [s.flag, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; run lockstep --help`);
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'demo') return runDemo(argv.slice(1));
  const { values, positionals } = parseCommandLine(argv);
  const [command] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(usage);
    return;
  }
  if (command !== 'start') throw new ConfigError(`unknown command "${command}"; run lockstep --help`);
  const { help: _help, ...flags } = values;
  await start(flags as Record<string, string | undefined>);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const hint = error instanceof ConfigError ? '' : '\n  Check the settings (lockstep --help) and that the store is reachable.';
  console.error(`lockstep: ${(error as Error).message}${hint}`);
  process.exit(1);
});
