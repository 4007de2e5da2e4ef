import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';
import { DemoApi, waitForHealth } from './api.js';
import { signalAll, startChild, type Child } from './children.js';
import { configureDemo, isConfigured } from './configure.js';
import { demoCredentials } from './credentials.js';
import { addCustomers, customerLogins, hasCustomers } from './customers.js';
import { configureRemoteTasks, hasRemoteTasks } from './remote-task-demo.js';

export const demoUsage = `Usage: lockstep demo [options]

Starts three linked instances on the embedded store: a consumer (incidents), a
provider (cases) and a second consumer, and on the first run configures the
sync between them. On the provider, the consumer is the customer acme (domain
global/acme); a second customer, globex (global/globex), has cases of its own.
The provider publishes the remote task definition "Network incident" to acme
and to the second consumer, initech (global/initech), which raise remote tasks
on it: acme by hand on its requests, initech by a trigger on its incidents.

Options:
  --consumer-port  port of the consumer (default 8600)
  --provider-port  port of the provider (default 8700)
  --second-consumer-port  port of the second consumer (default 8800)
  --data-dir       base directory; the instances use <dir>/consumer and <dir>/provider (default ./data)
  --host           interface both listen on (default 127.0.0.1)
The admin password is LOCKSTEP_ADMIN_PASSWORD, else one generated on the first
run and kept in <data-dir>/demo-credentials.json, with the other logins'.
`;

function readDemoFlags(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'consumer-port': { type: 'string', default: '8600' },
        'provider-port': { type: 'string', default: '8700' },
        'second-consumer-port': { type: 'string', default: '8800' },
        'data-dir': { type: 'string', default: './data' },
        host: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean' },
      },
    });
    const port = (flag: 'consumer-port' | 'provider-port' | 'second-consumer-port') => {
      const value = Number(values[flag]);
      if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new ConfigError(`--${flag}: a port is a whole number from 1 to 65535`);
      return value;
    };
    return { help: values.help === true, consumerPort: port('consumer-port'), providerPort: port('provider-port'), secondConsumerPort: port('second-consumer-port'), dataDir: resolve(values['data-dir']), host: values.host };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${(error as Error).message}; run lockstep demo --help`);
  }
}

/** `lockstep demo`: two child runtimes, configured on first run, stopped together. */
export async function runDemo(argv: string[]): Promise<void> {
  const flags = readDemoFlags(argv);
  if (flags.help) {
    process.stdout.write(demoUsage);
    return;
  }
  if (new Set([flags.consumerPort, flags.providerPort, flags.secondConsumerPort]).size < 3) throw new ConfigError('--consumer-port, --provider-port and --second-consumer-port must differ');
  const adminFromEnv = process.env.LOCKSTEP_ADMIN_PASSWORD || undefined;
  const credentials = await demoCredentials(flags.dataDir, adminFromEnv);
  const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
  const urlHost = flags.host === '0.0.0.0' ? '127.0.0.1' : flags.host;
  const instances = [
    { name: 'consumer', port: flags.consumerPort },
    { name: 'provider', port: flags.providerPort },
    { name: 'consumer2', port: flags.secondConsumerPort },
  ];
  const children: Child[] = [];
  for (const instance of instances) {
    const dataDir = join(flags.dataDir, instance.name);
    await mkdir(dataDir, { recursive: true });
    // At info, so an error subflow's notification line (its log channel) shows in the demo's output.
    const env = { ...process.env, LOCKSTEP_ADMIN_PASSWORD: credentials.admin_password, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
    // The two instances call each other on this host, which the outbound guard refuses unless allowed: only that address is.
    const args = ['--port', String(instance.port), '--host', flags.host, '--data-dir', dataDir, '--name', instance.name, '--outbound-allow', urlHost];
    children.push(startChild(instance.name, cli, args, env));
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    signalAll(children, signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const dead: string[] = [];
  const done = Promise.all(
    children.map(async (child) => {
      const code = await child.exited;
      if (!stopping) {
        dead.push(child.name);
        process.stderr.write(`lockstep demo: the ${child.name} exited with ${code ?? 'a signal'}; stopping the others\n`);
        stop('SIGTERM');
      } else {
        process.stdout.write(`lockstep demo: the ${child.name} stopped with exit code ${code ?? 'none (signal)'}\n`);
      }
      return code;
    }),
  ).then((codes) => {
    const failed = dead.length > 0 || codes.some((code) => code !== 0);
    process.exit(failed ? 1 : 0);
  });

  try {
    const [consumer, provider, second] = instances.map((instance) => new DemoApi(instance.name, `http://${urlHost}:${instance.port}`, 'admin', credentials.admin_password)) as [DemoApi, DemoApi, DemoApi];
    const gaveUp = () => (stopping ? `stopped before ${dead.length > 0 ? `the ${dead.join(' and ')} was ready` : 'the instances were ready'}` : undefined);
    await Promise.all([consumer, provider, second].map((api) => waitForHealth(api.url, 30_000, gaveUp)));
    const [consumerReady, providerReady] = await Promise.all([isConfigured(consumer), isConfigured(provider)]);
    if (consumerReady !== providerReady) {
      throw new Error(`only the ${consumerReady ? 'consumer' : 'provider'} is configured (an earlier first run was cut short?); delete ${flags.dataDir} and start again`);
    }
    if (!consumerReady) {
      process.stdout.write('lockstep demo: first run, configuring the sync between the two instances…\n');
      await configureDemo(consumer, provider, credentials.agent_password);
    }
    // Checked on its own, so a data directory from before the customers gains them.
    if (!(await hasCustomers(provider))) await addCustomers(provider, credentials.customer_passwords);
    // Likewise for remote tasks, which came after.
    if (!(await hasRemoteTasks(provider))) await configureRemoteTasks(consumer, second, provider);
    printWelcome(consumer.url, provider.url, second.url, flags.dataDir, adminFromEnv !== undefined);
  } catch (error) {
    process.stderr.write(`lockstep demo: ${(error as Error).message}\n`);
    if (!stopping) stop('SIGTERM');
    await done;
  }
}

/** The provider's customer logins, a line per customer domain, aligned with the logins above them. */
function customerLines(): string {
  const domains = [...new Set(customerLogins.map((login) => login.domain))];
  return domains
    .map((domain, index) => {
      const logins = customerLogins.filter((login) => login.domain === domain).map((login) => login.userName);
      return `${(index === 0 ? '  provider customers:' : '').padEnd(24)}${logins.join(', ')}    (domain ${domain})`;
    })
    .join('\n');
}

/**
 * The demo's addresses and logins. Not the passwords: a terminal's output
 * ends up in scrollback, screen shares and CI logs, so it says where they
 * are kept (0600) instead.
 */
function printWelcome(consumerUrl: string, providerUrl: string, secondUrl: string, dataDir: string, adminFromEnv: boolean): void {
  const file = join(dataDir, 'demo-credentials.json');
  const [where, adminPassword] = adminFromEnv ? ["admin's is LOCKSTEP_ADMIN_PASSWORD, the others are", 'LOCKSTEP_ADMIN_PASSWORD'] : ['all', 'admin_password in that file'];
  process.stdout.write(`
Lockstep demo is running.
  consumer (incidents): ${consumerUrl}
  provider (cases):     ${providerUrl}
  second consumer:      ${secondUrl}    (initech, remote tasks only)
  designer and console: ${consumerUrl}/designer/ and ${providerUrl}/designer/
  logins on both:       admin, agent
${customerLines()}
  passwords:            ${where} in ${file}

On the provider, the consumer is the customer acme: its integration, and the
cases it makes, live in the domain global/acme. Sign in to the provider's
console as globex.admin: globex's cases only, no acme case, no acme configuration.

Raise an incident on the consumer; it shows up as a case on the provider
(PASSWORD is ${adminPassword}):
  curl -u 'admin:PASSWORD' -H 'content-type: application/json' \\
    -d '{"short_description":"Email is down","priority":"2"}' \\
    ${consumerUrl}/api/now/table/incident
  curl -u 'admin:PASSWORD' '${providerUrl}/api/now/table/case?sysparm_fields=number,short_description'

Remote tasks: the provider publishes "Network incident" to acme and initech. A
priority 1 network incident on initech raises one by itself; on the consumer,
raise one on a request with POST /api/lockstep/v1/remote-tasks (README, Remote
Tasks). Either shows up as a case on the provider.

Stop them with Ctrl-C.
`);
}
