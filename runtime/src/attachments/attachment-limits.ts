import { ProblemError } from '../http/problem.js';
import { contentTypeMismatch, type SniffedType } from './content-type.js';
import { extensionOf } from './file-names.js';

/** What this instance accepts as an attachment, from the user or from a peer. */
export interface AttachmentLimits {
  maxBytes: number;
  /** Lower-case extensions without the dot. Names without an extension are allowed; their content is still checked. */
  extensions: ReadonlySet<string>;
}

/** Why a file is refused, with the status and problem type the API answers it with. */
export interface Refusal {
  status: 413 | 415;
  slug: string;
  reason: string;
}

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

export function contentRefusal(declaredType: string, sniffed: SniffedType | null): Refusal | null {
  const mismatch = contentTypeMismatch(declaredType, sniffed);
  return mismatch === null ? null : { status: 415, slug: 'attachment-content-mismatch', reason: mismatch };
}

export function refusalProblem(refusal: Refusal): ProblemError {
  return new ProblemError(refusal.status, refusal.slug, refusal.status === 413 ? 'Content too large' : 'Unsupported media type', refusal.reason);
}
