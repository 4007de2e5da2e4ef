import { ApiProblem } from '../api/client';

const PREFIX = 'urn:lockstep:problem:';

/**
 * What to do about a refusal of a remote task call, by the problem's type,
 * beside the runtime's own detail: most of these come from the provider,
 * whose admin the consumer's admin must ask.
 */
const nextSteps: Record<string, string> = {
  'not-entitled': 'Ask the provider’s admin to entitle this definition to your instance (its remote system for you), then open the catalog again.',
  'provider-unavailable': 'The provider did not answer: check its remote system here (Validate and Activate), then try again.',
  'remote-system-not-paired': 'Open the remote system, set its External ID to the provider’s remote system for you, and run Validate and Activate.',
  'definition-not-accepting': 'The provider takes no new remote tasks on this definition now. Ask its admin to make it active again, or use another definition.',
  'definition-not-published': 'The provider has not published this definition (or no longer does); only a published one can be activated.',
  'revision-not-published': 'Ask the provider to publish the revision, or upgrade to the latest published one.',
  'already-activated': 'Open the existing activation in the list below and upgrade it instead.',
  'no-newer-revision': 'You run the latest revision already; nothing to upgrade.',
  'invalid-field-rules': 'Correct the rules the findings name: a field may be narrowed to one way and synced less often, never widened.',
  'remote-task-exists': 'The record already has a remote task on this definition; it is in the list above.',
  'changed-meanwhile': 'Someone else changed it meanwhile: reload the page and make your change again.',
  'definition-in-use': 'Retire it instead of deleting it.',
  'nothing-to-publish': 'Edit the definition first: the edit starts the next revision as a draft.',
};

/** The advice for a failure, or null when the runtime's detail says all there is. */
export function nextStepFor(error: unknown): string | null {
  if (!(error instanceof ApiProblem)) return null;
  const { type } = error.problem;
  return type.startsWith(PREFIX) ? (nextSteps[type.slice(PREFIX.length)] ?? null) : null;
}
