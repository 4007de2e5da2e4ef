import { useCallback, useEffect, useRef } from 'react';

/** A plain left click on a link that leaves this page of the app (not one opened in another tab or window). */
function leavingLink(event: MouseEvent): boolean {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
  return link instanceof HTMLAnchorElement && link.target !== '_blank' && link.href !== window.location.href;
}

/**
 * While there is unsaved work, leaving asks first: closing or reloading the
 * tab through the browser's own prompt, and moving to another page of the app
 * through a confirm. Links (the menu, another subflow, back to the list) are
 * asked about as they are clicked, before the address changes: the router
 * reads the address on any render, so a later check could come too late.
 * Back and Forward change the address first; the hash change is caught in the
 * capture phase, ahead of the router, and on "stay" the address is put back.
 * `release` lets the editor leave on purpose without asking (after dropping
 * its edits).
 */
export function useLeaveGuard(unsaved: boolean, question: string): { release: () => void } {
  const remove = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (!unsaved) return;
    // Once the designer said yes to leaving, the navigation that follows asks nothing more.
    let leaving = false;
    const onClick = (event: MouseEvent) => {
      if (!leavingLink(event)) return;
      if (window.confirm(question)) leaving = true;
      else event.preventDefault();
    };
    const onHashChange = (event: HashChangeEvent) => {
      if (leaving || window.confirm(question)) return;
      event.stopImmediatePropagation();
      window.history.replaceState(window.history.state, '', event.oldURL);
    };
    const onUnload = (event: BeforeUnloadEvent) => {
      if (!leaving) event.preventDefault();
    };
    document.addEventListener('click', onClick, { capture: true });
    window.addEventListener('hashchange', onHashChange, { capture: true });
    window.addEventListener('beforeunload', onUnload);
    remove.current = () => {
      document.removeEventListener('click', onClick, { capture: true });
      window.removeEventListener('hashchange', onHashChange, { capture: true });
      window.removeEventListener('beforeunload', onUnload);
    };
    return remove.current;
  }, [unsaved, question]);
  return { release: useCallback(() => remove.current?.(), []) };
}
