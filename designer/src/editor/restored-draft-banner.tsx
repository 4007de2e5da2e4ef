/** Unsaved edits from an earlier visit were put back: say so, and offer to drop them for the saved draft. */
export function RestoredDraftBanner({ keptAt, onDiscard }: { keptAt: string; onDiscard: () => void }) {
  return (
    <div className="banner restored-draft" role="status">
      Your unsaved changes from {new Date(keptAt).toLocaleString()} were kept in this browser and are back. Save them, or
      <button type="button" onClick={onDiscard}>
        Discard them
      </button>
    </div>
  );
}
