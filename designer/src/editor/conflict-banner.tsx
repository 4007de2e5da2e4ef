/** A save was refused because someone else saved the draft first: the designer picks whose work wins. */
export function ConflictBanner({ onReload, onOverwrite }: { onReload: () => void; onOverwrite: () => void }) {
  return (
    <div className="banner conflict" role="alert">
      Someone else saved this draft after you opened it, so your save was refused.
      <button type="button" onClick={onReload}>
        Load their version (drop my changes)
      </button>
      <button type="button" className="danger" onClick={onOverwrite}>
        Save mine over theirs
      </button>
    </div>
  );
}
