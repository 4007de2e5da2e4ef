import { useState, type FormEvent } from 'react';
import { signIn } from '../api/login';
import type { Session } from '../api/session';
import { signInFailure } from './sign-in-failure';

export function LoginPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(userName, password));
    } catch (failure) {
      setError(signInFailure(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="login" onSubmit={submit}>
      <h1>
        Lockstep <span>designer</span>
      </h1>
      <label>
        User name
        <input name="user_name" autoComplete="username" value={userName} onChange={(event) => setUserName(event.target.value)} autoFocus required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
      </label>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
