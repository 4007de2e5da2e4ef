import './console.css';
import { hrefOf, type Route } from '../route';

/** The sections of the app, in the order admins work through them; which one a page belongs to. */
const sections: { label: string; href: string; owns: (route: Route) => boolean; configures: boolean }[] = [
  { label: 'Dashboard', href: hrefOf({ page: 'dashboard' }), owns: (route) => route.page === 'dashboard', configures: true },
  {
    label: 'Process sync definitions',
    href: hrefOf({ page: 'definitions' }),
    owns: (route) => ['definitions', 'definition', 'capture-definition', 'new-capture-definition', 'remote-system'].includes(route.page),
    configures: true,
  },
  {
    label: 'Remote tasks',
    href: hrefOf({ page: 'remote-task-definitions' }),
    owns: (route) => route.page.startsWith('remote-task-'),
    configures: true,
  },
  { label: 'Outbound queue', href: hrefOf({ page: 'queue', side: 'outbound', query: {} }), owns: (route) => (route.page === 'queue' || route.page === 'queue-item') && route.side === 'outbound', configures: true },
  { label: 'Inbound queue', href: hrefOf({ page: 'queue', side: 'inbound', query: {} }), owns: (route) => (route.page === 'queue' || route.page === 'queue-item') && route.side === 'inbound', configures: true },
  { label: 'Flow contexts', href: hrefOf({ page: 'contexts', query: {} }), owns: (route) => route.page === 'contexts' || route.page === 'context', configures: true },
  { label: 'Subflows', href: hrefOf({ page: 'list' }), owns: (route) => ['list', 'draft', 'version'].includes(route.page), configures: true },
  { label: 'Records', href: hrefOf({ page: 'records-home' }), owns: (route) => ['records-home', 'records', 'record', 'new-record', 'correlated'].includes(route.page), configures: false },
];

/** The app's top-level navigation; users who may not configure sync see only the records. */
export function TopNav({ route, canConfigure }: { route: Route; canConfigure: boolean }) {
  return (
    <nav className="top-nav" aria-label="Sections">
      {sections
        .filter((section) => canConfigure || !section.configures)
        .map((section) => (
          <a key={section.label} href={section.href} className={section.owns(route) ? 'active' : ''} aria-current={section.owns(route) ? 'page' : undefined}>
            {section.label}
          </a>
        ))}
    </nav>
  );
}
