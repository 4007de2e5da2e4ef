import { ApiProblem } from '../api/client';
import { recordApi } from '../api/records';
import { useApi } from '../console/use-api';
import { textOf } from '../inspector/text-of';
import { hrefOf } from '../route';

const FIELDS = 'sys_id,number,short_description,remote_instance,remote_number,remote_state,active,definition_revision';
const LIMIT = 50;
/** Often enough to see the other side's number and state arrive, without reloading the page. */
const POLL_MS = 5000;

/** The remote tasks under a record, or null for a user who may not read them. */
async function remoteTasksOf(sysId: string) {
  try {
    return (await recordApi.list('remote_task', { query: `parent=${sysId}^ORDERBYnumber`, fields: FIELDS, limit: LIMIT, offset: 0 })).rows;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 403) return null;
    throw error;
  }
}

/** A remote instance given as an address links there; one given by name cannot. */
const asAddress = (text: string) => (/^https?:\/\//.test(text) ? text : null);

/** The record's remote tasks: the work it handed to other instances, each with its number and state there. */
export function RemoteTasks({ sysId }: { sysId: string }) {
  const loaded = useApi(() => remoteTasksOf(sysId), sysId, POLL_MS);
  const tasks = loaded.value;
  if (tasks === null) return null;
  return (
    <section className="card remote-tasks" aria-label="Remote tasks">
      <h2>Remote tasks</h2>
      {tasks.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {tasks.map((task) => {
            const instance = textOf(task.remote_instance);
            const address = asAddress(instance);
            return (
              <li key={String(task.sys_id)}>
                <a href={hrefOf({ page: 'record', table: 'remote_task', sysId: String(task.sys_id) })}>{textOf(task.number)}</a> {textOf(task.short_description)}{' '}
                <span className="muted small">
                  {instance === '' ? 'remote instance not set' : address ? <a href={address}>{instance}</a> : instance}: {textOf(task.remote_number) || 'no number yet'}
                  {task.remote_state ? `, ${textOf(task.remote_state)}` : ''}
                  {task.definition_revision ? ` · revision ${textOf(task.definition_revision)}` : ''}
                  {task.active === false && ' · closed here'}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
