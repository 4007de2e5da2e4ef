import './remote-tasks.css';
import { useState } from 'react';
import { definitionApi, type RemoteTaskDefinitionView } from '../api/remote-tasks';
import { syncConfigApi } from '../api/sync-config';
import { StateBadge } from '../console/badges';
import { ConfirmDialog } from '../console/confirm-dialog';
import { Facts } from '../console/facts';
import { useAction } from '../console/use-action';
import { useApi } from '../console/use-api';
import { hrefOf, navigate } from '../route';
import { contentOf, DefinitionDialog } from './definition-dialog';
import { Entitlements } from './entitlements';
import { deletable, lifecycleActions, type LifecycleAction } from './lifecycle';
import { Refusal } from './refusal';
import { RevisionFields } from './revision-fields';
import { Revisions } from './revisions';

async function load(definitionId: string) {
  const [definition, remotes] = await Promise.all([definitionApi.get(definitionId), syncConfigApi.remoteSystems.list()]);
  return { definition, remotes: remotes.rows };
}

/** What the button says while its action runs. */
const runningLabel: Record<LifecycleAction['to'], string> = { publish: 'Publishing…', published: 'Making active…', inactive: 'Making inactive…', archived: 'Archiving…', retired: 'Retiring…' };

/**
 * A remote task definition on the provider: its fields and rules, the
 * lifecycle moves it may make (each confirmed, saying what it means for
 * consumers), its revisions with the consumers on each, Edit (a new draft
 * revision once one is published), and its entitlements.
 */
export function RemoteTaskDefinitionPage({ definitionId }: { definitionId: string }) {
  const loaded = useApi(() => load(definitionId), definitionId);
  const action = useAction();
  const [asking, setAsking] = useState<LifecycleAction | 'delete' | null>(null);
  const [editing, setEditing] = useState(false);
  const [shown, setShown] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // What a change answered, shown until the reload it starts brings the same or newer, so its notice never stands beside the old state.
  const [written, setWritten] = useState<RemoteTaskDefinitionView | null>(null);
  if (loaded.value === null) return <section className="console-page">{loaded.error === null ? <p className="muted">Loading…</p> : <Refusal error={loaded.error} />}</section>;

  const { remotes } = loaded.value;
  const definition = written !== null && written.sys_updated_on >= loaded.value.definition.sys_updated_on ? written : loaded.value.definition;
  const latest = definition.revisions.at(-1)!;
  const revision = definition.revisions.find((one) => one.revision === shown) ?? latest;
  const remoteName = (id: string) => remotes.find((remote) => remote.sys_id === id)?.name ?? id;
  const changed = (what: string, answer: RemoteTaskDefinitionView) => {
    setWritten(answer);
    setDone(`${what} at ${new Date().toLocaleTimeString()}.`);
    loaded.reload();
  };

  const move = async (chosen: LifecycleAction) => {
    setAsking(null);
    setDone(null);
    let answer: RemoteTaskDefinitionView | null = null;
    const moved = await action.run(chosen.label, async () => {
      answer = chosen.to === 'publish' ? await definitionApi.publish(definition.sys_id) : await definitionApi.moveTo(definition.sys_id, chosen.to);
    });
    if (moved && answer) changed(chosen.to === 'publish' ? `Revision ${latest.revision} published` : `${chosen.label} done: the definition is ${chosen.to}`, answer);
  };
  const remove = async () => {
    setAsking(null);
    if (await action.run('Delete', () => definitionApi.remove(definition.sys_id))) navigate({ page: 'remote-task-definitions' });
  };

  const running = action.busy !== null;
  const actions = lifecycleActions(definition);
  return (
    <section className="console-page">
      <p className="crumbs">
        <a href={hrefOf({ page: 'remote-task-definitions' })}>Remote task definitions</a> ›
      </p>
      <div className="card">
        <div className="list-head">
          <h1>
            {definition.name} <StateBadge state={definition.state} />
          </h1>
          <div className="lifecycle row-actions">
            <button type="button" disabled={running || definition.state === 'retired'} onClick={() => setEditing(true)}>
              Edit
            </button>
            {actions.map((one) => (
              <button key={one.label} type="button" className={one.final ? 'danger' : one.to === 'publish' ? 'primary' : ''} disabled={running} onClick={() => setAsking(one)}>
                {action.busy === one.label ? runningLabel[one.to] : one.label}
              </button>
            ))}
            {deletable(definition) && (
              <button type="button" className="danger" disabled={running} onClick={() => setAsking('delete')}>
                Delete
              </button>
            )}
          </div>
        </div>
        <p>{latest.description || <span className="muted">No description.</span>}</p>
        {done !== null && (
          <p className="notice" role="status">
            {done}
          </p>
        )}
        <Refusal error={action.error} context={`${action.busy ?? 'The change'} was refused`} />
        <Refusal error={loaded.error} />
        <Facts
          rows={[
            ['Target table', <code key="table">{latest.target_table}</code>],
            ['Published revision', definition.published_revision === 0 ? 'none yet' : definition.published_revision],
            ['Latest revision', `${latest.revision} (${latest.status})`],
            ['Process event', <code key="event">{definition.process_event}</code>],
            ['Domain', definition.sys_domain],
            ['Updated', `${definition.sys_updated_on} by ${definition.sys_updated_by}`],
          ]}
        />
      </div>
      <RevisionFields revision={revision} />
      <Revisions definition={definition} shown={revision.revision} onShow={setShown} remoteName={remoteName} />
      <Entitlements
        definition={definition}
        remotes={remotes}
        onChanged={() => {
          // An entitlement may leave the definition's update time as it was (within its second): what a change answered must not hide it.
          setWritten(null);
          loaded.reload();
        }}
      />
      {editing && (
        <DefinitionDialog
          title={`Edit ${definition.name}`}
          confirm={latest.status === 'published' ? `Save as revision ${latest.revision + 1}` : 'Save'}
          initial={contentOf(latest)}
          note={
            latest.status === 'published'
              ? `Revision ${latest.revision} is published: saving starts revision ${latest.revision + 1} as a draft. Consumers keep the revision they activated until they upgrade.`
              : `Saving changes draft revision ${latest.revision}; consumers see it once it is published.`
          }
          onCancel={() => setEditing(false)}
          onSubmit={async (content) => {
            const answer = await definitionApi.edit(definition.sys_id, content);
            setEditing(false);
            changed(latest.status === 'published' ? `Draft revision ${latest.revision + 1} saved` : `Draft revision ${latest.revision} saved`, answer);
          }}
        />
      )}
      {asking === 'delete' && (
        <ConfirmDialog title={`Delete ${definition.name}?`} confirm="Delete" onConfirm={() => void remove()} onCancel={() => setAsking(null)}>
          <p>The draft definition and its revision are deleted. This cannot be undone.</p>
        </ConfirmDialog>
      )}
      {asking !== null && asking !== 'delete' && (
        <ConfirmDialog title={`${asking.label}: ${definition.name}?`} confirm={asking.label} onConfirm={() => void move(asking)} onCancel={() => setAsking(null)}>
          <p>{asking.consequence}</p>
          {definition.activations.length > 0 && <p className="muted">{consumersLine(definition, remoteName)}</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Who a move touches: the consumers that activated the definition, and on which revision. */
function consumersLine(definition: RemoteTaskDefinitionView, remoteName: (id: string) => string): string {
  return `Activated by ${definition.activations.map((one) => `${remoteName(one.remote_system)} (revision ${one.revision})`).join(', ')}.`;
}
