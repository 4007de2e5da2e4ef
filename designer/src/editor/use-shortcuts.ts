import { useEffect, useRef } from 'react';

export interface ShortcutActions {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  save: () => void;
  selectAll: () => void;
  layout: () => void;
}

/** Whether the key went to a text field, where the browser's own copy, paste and undo apply. */
function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/**
 * The editor's keyboard shortcuts: Ctrl/⌘ + Z, Shift+Z or Y, C, V, S, A, and
 * Shift+L for auto-layout. Delete and Backspace, multi-select with Shift and
 * box selection are React Flow's own.
 */
export function useShortcuts(actions: ShortcutActions): void {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const act = latest.current;
      const key = event.key.toLowerCase();
      const command = event.ctrlKey || event.metaKey;
      if (command && key === 's') {
        event.preventDefault();
        act.save();
        return;
      }
      if (typingIn(event.target)) return;
      const chosen = command
        ? { z: event.shiftKey ? act.redo : act.undo, y: act.redo, c: act.copy, v: act.paste, a: act.selectAll }[key]
        : event.shiftKey && key === 'l'
          ? act.layout
          : undefined;
      if (chosen === undefined) return;
      event.preventDefault();
      chosen();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
