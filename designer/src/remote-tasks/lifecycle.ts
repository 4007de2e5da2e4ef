import type { RemoteTaskDefinitionState } from '@lockstep/schema';
import type { RemoteTaskDefinitionView } from '../api/remote-tasks';

/** One lifecycle button on a definition's page: what it does, and what the confirmation says it means for consumers. */
export interface LifecycleAction {
  /** The button's label. */
  label: string;
  /** `publish` publishes the draft revision; a state moves the definition there. */
  to: 'publish' | Exclude<RemoteTaskDefinitionState, 'draft'>;
  consequence: string;
  /** Shown as a danger button: it cannot be undone. */
  final: boolean;
}

/**
 * The lifecycle moves a definition's page offers, in the order of Draft →
 * Published → Inactive → Archived → Retired, as the runtime allows them:
 * publishing a draft revision, each move forward, and Inactive back to
 * Published.
 */
export function lifecycleActions(definition: Pick<RemoteTaskDefinitionView, 'state' | 'revisions'>): LifecycleAction[] {
  const { state } = definition;
  const latest = definition.revisions.at(-1);
  const actions: LifecycleAction[] = [];
  if (latest?.status === 'draft' && state !== 'retired') {
    actions.push(
      state === 'draft'
        ? { label: 'Publish', to: 'publish', consequence: 'Revision 1 becomes published: consumers it is entitled to see it in their catalog and may activate it.', final: false }
        : {
            label: `Publish revision ${latest.revision}`,
            to: 'publish',
            consequence: `Revision ${latest.revision} becomes the latest published one. Consumers keep the revision they activated until they upgrade; new activations get revision ${latest.revision}.`,
            final: false,
          },
    );
  }
  if (state === 'inactive') actions.push({ label: 'Make active', to: 'published', consequence: 'Consumers may raise new remote tasks on it again.', final: false });
  if (state === 'published') actions.push({ label: 'Make inactive', to: 'inactive', consequence: 'New remote tasks are refused with a clear error; the open ones keep syncing. You can make it active again.', final: false });
  if (state === 'published' || state === 'inactive') {
    actions.push({ label: 'Archive', to: 'archived', consequence: 'It leaves consumers’ catalogs and takes no new remote tasks; the open ones keep syncing. This cannot be undone.', final: true });
  }
  if (state !== 'draft' && state !== 'retired') {
    actions.push({ label: 'Retire', to: 'retired', consequence: 'It takes no new remote tasks and stops syncing once its last open remote task closes. This cannot be undone.', final: true });
  }
  return actions;
}

/** Whether the page offers Delete: only an unentitled draft may go (anything further is retired instead). */
export const deletable = (definition: Pick<RemoteTaskDefinitionView, 'state' | 'entitlements'>) => definition.state === 'draft' && definition.entitlements.length === 0;
