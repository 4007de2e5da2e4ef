import { fileTypeFromBuffer, supportedMimeTypes } from 'file-type';
import { SHEBANG_SCRIPT, startsWithShebang } from './executables.js';

/** What file-type makes of a file's first bytes. */
export interface SniffedType {
  mime: string;
  ext: string;
}

export async function sniffType(head: Buffer): Promise<SniffedType | null> {
  const found = await fileTypeFromBuffer(head);
  if (found) return { mime: found.mime, ext: found.ext };
  return startsWithShebang(head) ? SHEBANG_SCRIPT : null;
}

/** Other names clients give the same type. */
const aliases: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'application/x-pdf': 'application/pdf',
  'application/x-zip-compressed': 'application/zip',
  'application/x-zip': 'application/zip',
  'application/x-gzip': 'application/gzip',
  'text/xml': 'application/xml',
  'audio/mp3': 'audio/mpeg',
  'audio/x-wav': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
};

/** `Image/JPG; name=x` is `image/jpeg`. */
export function canonicalType(contentType: string): string {
  const bare = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  return aliases[bare] ?? bare;
}

/**
 * Office formats are zip or OLE containers, which file-type reports as
 * such when a document's first bytes do not say more.
 */
function carriedBy(container: string, declared: string): boolean {
  if (container === 'application/zip') {
    return /openxmlformats-officedocument|oasis\.opendocument|macroenabled|\+zip$/.test(declared) || declared === 'application/java-archive';
  }
  if (container === 'application/x-cfb') {
    return ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/vnd.ms-outlook', 'application/vnd.visio'].includes(declared);
  }
  return false;
}

/** Text has no signature, so file-type cannot confirm it: a text type passes when the content is nothing file-type knows. */
function isText(type: string): boolean {
  return type.startsWith('text/') || type.endsWith('+xml') || type.endsWith('+json') || type === 'application/xml' || type === 'application/json';
}

/** Types whose files file-type always recognises: content of such a declared type that it does not recognise is not of that type. */
const recognisable = new Set([...supportedMimeTypes].map(canonicalType).filter((type) => !isText(type)));

/**
 * Why the content does not match the type it was declared as, or null when
 * it does. What file-type recognises must be what was declared (or a
 * container of it); a declared type file-type would have recognised must
 * be recognised; anything else (text, CSV, opaque binary) passes.
 */
export function contentTypeMismatch(declared: string, sniffed: SniffedType | null): string | null {
  const type = canonicalType(declared);
  if (sniffed) {
    const actual = canonicalType(sniffed.mime);
    if (actual === type || carriedBy(actual, type)) return null;
    return `the content is ${sniffed.mime} (a .${sniffed.ext} file), not ${declared}; send it with Content-Type: ${sniffed.mime}`;
  }
  if (recognisable.has(type)) return `the content is not ${declared}: it does not begin the way ${declared} content does`;
  return null;
}
