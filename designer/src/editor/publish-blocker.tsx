import type { Finding } from '../api/subflows';

/**
 * Why Publish is off, said where it is: the first error's step and param
 * beside the button, a click selecting that step, the whole message on hover.
 */
export function PublishBlocker({ errors, stepName, onShow }: { errors: readonly Finding[]; stepName: (nodeId: string) => string; onShow: (nodeId: string) => void }) {
  const [first] = errors;
  if (first === undefined) return null;
  const more = errors.length > 1 ? ` and ${errors.length - 1} more` : '';
  if (first.nodeId === undefined) {
    return (
      <span className="publish-blocker" role="status" title={first.message}>
        Publish waits for: {first.message}
        {more}
      </span>
    );
  }
  const nodeId = first.nodeId;
  return (
    <span className="publish-blocker" role="status">
      Publish waits for{' '}
      <button type="button" className="link" title={first.message} onClick={() => onShow(nodeId)}>
        {stepName(nodeId)}
        {first.path !== undefined && <code>{first.path}</code>}
      </button>
      {more}
    </span>
  );
}
