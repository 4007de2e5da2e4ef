import { DemoApi } from './api.js';

const USERS = '/api/lockstep/v1/users';

/**
 * The provider's customers, each in a domain of its own with its own admin
 * and agent. Acme is the consumer's company, so its integration lives in its
 * domain; globex has cases of its own that never leave it.
 */
export const ACME_DOMAIN = 'global/acme';
const CUSTOMERS = [
  { name: 'acme', domain: ACME_DOMAIN, cases: ['Acme: VPN drops every hour'] },
  { name: 'globex', domain: 'global/globex', cases: ['Globex: badge reader at gate 2 is offline', 'Globex: new starter needs a laptop', 'Globex: printer on floor 3 jams'] },
] as const;

/** Every customer login the demo makes, `<customer>.admin` and `<customer>.agent`, with the domain each lives in. */
export const customerLogins = CUSTOMERS.flatMap(({ name, domain }) => [
  { userName: `${name}.admin`, domain, roles: ['admin'] },
  { userName: `${name}.agent`, domain, roles: ['itil'] },
]);

/** True once the provider has its customers: the last login the demo makes exists. */
export async function hasCustomers(provider: DemoApi): Promise<boolean> {
  const { body } = await provider.call('GET', USERS);
  const last = customerLogins.at(-1)!.userName;
  return (body.result as { user_name: string }[]).some((user) => user.user_name === last);
}

/**
 * Makes each customer's logins on the provider, then its cases, raised by its
 * own agent so they live in its domain. Acme's case is captured by the acme
 * integration and goes to the consumer; globex's stay on the provider.
 */
export async function addCustomers(provider: DemoApi, passwords: Readonly<Record<string, string>>): Promise<void> {
  for (const login of customerLogins) {
    await provider.create(USERS, { user_name: login.userName, password: passwords[login.userName], roles: login.roles, sys_domain: login.domain });
  }
  for (const customer of CUSTOMERS) {
    const agent = `${customer.name}.agent`;
    const asAgent = new DemoApi(`${provider.name} as ${agent}`, provider.url, agent, passwords[agent]!);
    for (const shortDescription of customer.cases) await asAgent.create('/api/now/table/case', { short_description: shortDescription, priority: '3' });
  }
}
