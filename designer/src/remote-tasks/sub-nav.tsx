import { hrefOf, type Route } from '../route';

const pages = [
  { label: 'Definitions (as provider)', route: { page: 'remote-task-definitions' } },
  { label: 'Catalog and activations (as consumer)', route: { page: 'remote-task-catalog' } },
] as const satisfies readonly { label: string; route: Route }[];

/** The two halves of remote tasks: an instance may provide them, consume them, or both. */
export function RemoteTasksNav({ current }: { current: (typeof pages)[number]['route']['page'] }) {
  return (
    <nav className="sub-nav" aria-label="Remote tasks">
      {pages.map(({ label, route }) => (
        <a key={route.page} href={hrefOf(route)} aria-current={route.page === current ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}
