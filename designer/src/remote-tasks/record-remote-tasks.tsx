import './remote-tasks.css';
import { useState } from 'react';
import { ApiProblem } from '../api/client';
import { activationApi } from '../api/remote-tasks';
import { syncConfigApi } from '../api/sync-config';
import { useAction } from '../console/use-action';
import { useApi } from '../console/use-api';
import { textOf } from '../inspector/text-of';
import { RemoteTasks } from '../records/remote-tasks';
import { Refusal } from './refusal';

/** A list the caller may not read (403) as null; any other failure is the page's to show. */
async function unlessForbidden<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 403) return null;
    throw error;
  }
}

/**
 * The activations on a table, to raise a remote task on: none for a user who
 * may not raise one (403). Each is named with its provider where the user
 * may read remote systems; an agent may not, and sees the definition alone.
 */
async function activationsOn(table: string) {
  const [activations, remotes] = await Promise.all([unlessForbidden(activationApi.list()), unlessForbidden(syncConfigApi.remoteSystems.list())]);
  const providerOf = (id: string) => remotes?.rows.find((remote) => remote.sys_id === id)?.name;
  return (activations?.rows ?? [])
    .filter((activation) => activation.table === table)
    .map((activation) => ({ id: activation.sys_id, label: `${activation.name} (${[providerOf(activation.remote_system), `revision ${activation.revision}`].filter(Boolean).join(', ')})` }));
}

/**
 * A record's remote tasks, and Create remote task: one of the definitions
 * activated on its table, raised to its provider, which is asked first and
 * may refuse (an inactive definition, say). One record may have several, to
 * different providers.
 */
export function RecordRemoteTasks({ table, sysId }: { table: string; sysId: string }) {
  const choices = useApi(() => activationsOn(table), table);
  const [chosen, setChosen] = useState('');
  const [raised, setRaised] = useState<string[]>([]);
  const { busy, error, run } = useAction();
  const options = choices.value ?? [];

  const create = () =>
    run('create', async () => {
      const task = await activationApi.raise(chosen, sysId);
      setRaised((earlier) => [...earlier, textOf(task.number)]);
    });

  return (
    <div>
      {/* Keyed by what was raised here, so the list reads the new one. */}
      <RemoteTasks key={raised.length} sysId={sysId} />
      {options.length > 0 && (
        <div className="create-remote-task">
          <select aria-label="Remote task definition" value={chosen} onChange={(event) => setChosen(event.target.value)}>
            <option value="">-- choose an activated definition --</option>
            {options.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </select>
          <button type="button" disabled={chosen === '' || busy !== null} onClick={() => void create()}>
            {busy !== null ? 'Asking the provider…' : 'Create remote task'}
          </button>
        </div>
      )}
      {raised.length > 0 && busy === null && error === null && (
        <p className="notice" role="status">
          Remote task {raised.at(-1)} created: it goes to the provider with the record’s next sync, and its number there shows once the provider answers.
        </p>
      )}
      <Refusal error={choices.error} context="The activated definitions could not be read" />
      <Refusal error={error} context="No remote task created" />
    </div>
  );
}
