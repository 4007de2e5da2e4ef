import { ProblemError } from '../http/problem.js';
import { contentTypeMismatch, type SniffedType } from './content-type.js';
import { executableContent } from './executables.js';
import { extensionMismatch } from './extension-content.js';
import { extensionOf } from './file-names.js';

/** What this instance accepts as an attachment, from the user or from a peer. */
export interface AttachmentLimits {
  maxBytes: number;
  /** Lower-case extensions without the dot. Names without an extension are allowed; their content is still checked. */
  extensions: ReadonlySet<string>;
  /** Attachments one record may have. */
  maxPerRecord: number;
  /** Bytes one record's attachments may add up to. */
  maxRecordBytes: number;
}

/** Why a file is refused, with the status and problem type the API answers it with. */
export interface Refusal {
  status: 409 | 413 | 415;
  slug: string;
  reason: string;
}

const titles: Record<Refusal['status'], string> = { 409: 'Conflict', 413: 'Content too large', 415: 'Unsupported media type' };

export function nameRefusal(fileName: string, limits: AttachmentLimits): Refusal | null {
  const extension = extensionOf(fileName);
  if (extension === '' || limits.extensions.has(extension)) return null;
  return {
    status: 415,
    slug: 'attachment-type-not-allowed',
    reason: `files ending in .${extension} are not allowed here; the allowed extensions are ${[...limits.extensions].sort().join(', ')}`,
  };
}

export function sizeRefusal(size: number, limits: AttachmentLimits): Refusal | null {
  return size <= limits.maxBytes ? null : tooLarge(size, limits);
}

/** `size` undefined: the content went past the limit while it streamed in. */
export function tooLarge(size: number | undefined, limits: AttachmentLimits): Refusal {
  const what = size === undefined ? 'the file is larger than' : `the file is ${size} bytes, more than`;
  return { status: 413, slug: 'attachment-too-large', reason: `${what} the ${limits.maxBytes} bytes allowed for an attachment here` };
}

/** How much one file may stream in before it is refused, and what it is refused with past that. */
export interface ContentCap {
  maxBytes: number;
  /** `size` undefined: the content went past `maxBytes` while it streamed in. */
  refusal(size: number | undefined): Refusal;
}

/** The per-file limit alone, for content not yet tied to a record (a peer's push). */
export function fileCap(limits: AttachmentLimits): ContentCap {
  return { maxBytes: limits.maxBytes, refusal: (size) => tooLarge(size, limits) };
}

/** Content that runs when opened, refused whatever it is called: checked before anything about it is kept. */
export function executableRefusal(sniffed: SniffedType | null): Refusal | null {
  const reason = executableContent(sniffed);
  return reason === null ? null : { status: 415, slug: 'attachment-executable', reason };
}

/**
 * The content against everything said about it: it is no executable, it is
 * the type it was declared as, and what its name's extension says it is.
 */
export function contentRefusal(file: { fileName: string; contentType: string }, sniffed: SniffedType | null): Refusal | null {
  const executable = executableRefusal(sniffed);
  if (executable) return executable;
  const mismatch = contentTypeMismatch(file.contentType, sniffed) ?? extensionMismatch(extensionOf(file.fileName), sniffed);
  return mismatch === null ? null : { status: 415, slug: 'attachment-content-mismatch', reason: mismatch };
}

export function refusalProblem(refusal: Refusal): ProblemError {
  return new ProblemError(refusal.status, refusal.slug, titles[refusal.status], refusal.reason);
}
