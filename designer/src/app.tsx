import { useEffect, useState } from 'react';
import { onSignedOut } from './api/client';
import { signOut } from './api/login';
import { currentSession, type Session } from './api/session';
import { ContextPage } from './run/context-page';
import { EditorPage } from './editor/editor-page';
import { SubflowList } from './list/subflow-list';
import { LoginPage } from './login/login-page';
import { hrefOf, useRoute } from './route';

/** The shell: sign-in, then the page the URL names. */
export function App() {
  const [session, setSession] = useState<Session | null>(currentSession);
  const route = useRoute();
  useEffect(() => onSignedOut(() => setSession(null)), []);

  if (session === null) return <LoginPage onSignedIn={setSession} />;
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href={hrefOf({ page: 'list' })}>
          Lockstep <span>designer</span>
        </a>
        <span className="who">{session.userName}</span>
        <button
          type="button"
          className="link"
          onClick={() => void signOut().finally(() => setSession(null))}
        >
          Sign out
        </button>
      </header>
      <main className="page">
        {route.page === 'list' && <SubflowList />}
        {route.page === 'draft' && <EditorPage key={route.subflowId} subflowId={route.subflowId} />}
        {route.page === 'version' && <EditorPage key={`${route.subflowId}@${route.version}`} subflowId={route.subflowId} version={route.version} />}
        {route.page === 'context' && <ContextPage key={route.contextId} contextId={route.contextId} />}
      </main>
    </div>
  );
}
