import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { spawnRuntime } from '../support/runtime-process.js';
import { summarize } from './junit-summary.js';

/**
 * `npm run fuzz`: a real runtime on a fresh data directory, and schemathesis
 * against its OpenAPI document, as admin, with a fixed seed. It fails on any
 * 5xx and on any answer that does not match the document.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN = { user: 'admin', password: 'fuzz-admin-password' };
/** Schemathesis writes its reports here, and the runtime's error log goes beside them. */
const ARTIFACTS = join(root, 'test-artifacts', 'fuzz');

const settings = z
  .object({
    /** Test cases per operation: 1,000 for a full run, a few for CI. */
    LOCKSTEP_FUZZ_EXAMPLES: z.coerce.number().int().min(1).default(1000),
    /** The same seed generates the same cases, so a failure can be run again. */
    LOCKSTEP_FUZZ_SEED: z.coerce.number().int().min(0).default(1717),
  })
  .parse(process.env);

async function install(): Promise<void> {
  const installer = spawn('bash', [join(root, 'test/fuzz/install-schemathesis.sh')], { stdio: 'inherit' });
  const [code] = await once(installer, 'exit');
  if (code !== 0) throw new Error(`installing schemathesis failed (exit ${String(code)}); it needs python3 with venv`);
}

async function schemathesis(documentUrl: string): Promise<number> {
  const args = [
    'run',
    documentUrl,
    '--checks',
    'not_a_server_error,response_schema_conformance',
    '--auth',
    `${ADMIN.user}:${ADMIN.password}`,
    '--seed',
    String(settings.LOCKSTEP_FUZZ_SEED),
    '--max-examples',
    String(settings.LOCKSTEP_FUZZ_EXAMPLES),
    // JUnit only: the NDJSON event log of a full run would take gigabytes.
    '--report',
    'junit',
    '--report-dir',
    ARTIFACTS,
  ];
  // Unbuffered, so a long run's progress shows as each phase ends even when its output goes to a file.
  const child = spawn(join(root, '.tools/venv/bin/schemathesis'), args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1', PYTHONUNBUFFERED: '1' } });
  const closed = once(child, 'close');
  for await (const line of createInterface({ input: child.stdout })) console.log(withoutRuler(line));
  const [code] = await closed;
  return code as number;
}

/**
 * Schemathesis closes on a pytest-shaped ruler ("==== 2 warnings in 94.39s ===="). A CI log reader takes
 * that for a pytest run that executed no test, although the suite's own closing line follows, so the
 * rulers are printed as plain headings.
 */
function withoutRuler(line: string): string {
  const ruled = /^=+ (.+?) =+$/.exec(line);
  return ruled ? `-- ${ruled[1]} --` : line;
}

async function main(): Promise<number> {
  await install();
  await mkdir(ARTIFACTS, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'lockstep-fuzz-'));
  const runtime = await spawnRuntime(['--data-dir', dataDir, '--admin-user', ADMIN.user, '--admin-password', ADMIN.password]);
  try {
    console.log(`fuzzing ${runtime.url} with ${settings.LOCKSTEP_FUZZ_EXAMPLES} examples per operation, seed ${settings.LOCKSTEP_FUZZ_SEED}`);
    const code = await schemathesis(`${runtime.url}/api/lockstep/v1/openapi.json`);
    const found = await summarize(ARTIFACTS);
    console.log(`fuzz: ${found.operations} operations, ${found.serverErrors} server errors, ${found.schemaViolations} schema violations, ${found.errors} operations not tested`);
    return code;
  } finally {
    await runtime.stop();
    // The runtime's own account of each 5xx, for whoever fixes it.
    const errors = runtime.output.filter((line) => line.includes('"unhandled error"'));
    await writeFile(join(ARTIFACTS, 'runtime-errors.ndjson'), errors.join('\n'));
    console.log(`the runtime logged ${errors.length} unhandled errors (${join('test-artifacts', 'fuzz', 'runtime-errors.ndjson')})`);
    await rm(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
