import { useEffect, useState } from 'react';
import { onSignedOut } from './api/client';
import { signOut } from './api/login';
import { currentSession, pickDomain, workingDomain, type Session } from './api/session';
import { ConsolePage } from './console/console-page';
import { DEFAULT_TABLE } from './console/console-routes';
import { TopNav } from './console/top-nav';
import { DomainPicker } from './domains/domain-picker';
import { WorkingDomainProvider } from './domains/working-domain';
import { ContextPage } from './run/context-page';
import { EditorPage } from './editor/editor-page';
import { SubflowList } from './list/subflow-list';
import { LoginPage } from './login/login-page';
import { hrefOf, isConsoleRoute, useRoute, type Route } from './route';

/** Who may configure sync, and so see the console and the editor; others work records only. */
const configures = (session: Session) => session.roles.some((role) => role === 'admin' || role === 'ih_process_sync');

/** The shell: sign-in, then the navigation and the page the URL names. */
export function App() {
  const [session, setSession] = useState<Session | null>(currentSession);
  const route = useRoute();
  useEffect(() => onSignedOut(() => setSession(null)), []);

  if (session === null) return <LoginPage onSignedIn={setSession} />;
  const canConfigure = configures(session);
  // The home page is the subflow list; an agent's is the records.
  const shown: Route = route.page === 'list' && !canConfigure ? { page: 'records', table: DEFAULT_TABLE, query: {} } : route;
  return (
    <WorkingDomainProvider session={session}>
      <div className="app">
        <header className="topbar">
          <a className="brand" href={hrefOf({ page: 'list' })}>
            Lockstep <span>designer</span>
          </a>
          <TopNav route={shown} canConfigure={canConfigure} />
          <span className="who">{session.userName}</span>
          <DomainPicker onPick={(domain) => setSession(pickDomain(session, domain))} />
          <button type="button" className="link" onClick={() => void signOut().finally(() => setSession(null))}>
            Sign out
          </button>
        </header>
        {/* Keyed by the domain, so that picking another one starts every page afresh, loading what that domain holds. */}
        <main className="page" key={workingDomain(session)}>
          {isConsoleRoute(shown) && <ConsolePage route={shown} />}
          {shown.page === 'list' && <SubflowList />}
          {route.page === 'draft' && <EditorPage key={route.subflowId} subflowId={route.subflowId} />}
          {route.page === 'version' && <EditorPage key={`${route.subflowId}@${route.version}`} subflowId={route.subflowId} version={route.version} />}
          {route.page === 'context' && <ContextPage key={route.contextId} contextId={route.contextId} />}
        </main>
      </div>
    </WorkingDomainProvider>
  );
}
