/**
 * File names are data: they are stored as given and never become a path
 * (content is stored under its hash). Only a download's Content-Disposition
 * derives a name from them, and that one is stripped to a plain base name.
 */

/** The part after the last slash or backslash: what a browser would save. */
function baseName(fileName: string): string {
  return fileName.split(/[/\\]/).pop() ?? '';
}

/**
 * The name as the file system that saves it reads it: Windows drops trailing
 * dots and spaces (`evil.exe.` and `evil.exe ` are `evil.exe`), and
 * compatibility forms and case do not make another name (`ＥＶＩＬ.ＥＸＥ` is
 * `evil.exe`).
 */
function normalisedName(fileName: string): string {
  return fileName.normalize('NFKC').replace(/[\s.]+$/u, '').toLowerCase();
}

/** `report.PDF` and `report.pdf. ` are `pdf`; a name without a dot after its first character has none (''). */
export function extensionOf(fileName: string): string {
  const base = baseName(normalisedName(fileName));
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1) : '';
}

/** A name safe to offer for saving: no directories, no characters a file system or a header would choke on. */
export function downloadName(fileName: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const cleaned = baseName(fileName).replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').trim();
  return cleaned === '' || /^\.+$/.test(cleaned) ? 'attachment' : cleaned;
}

/** RFC 6266: always `attachment`, so a browser saves the file rather than showing it; `filename*` keeps non-ASCII names. */
export function contentDisposition(fileName: string): string {
  const name = downloadName(fileName);
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
