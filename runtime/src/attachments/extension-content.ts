import { supportedExtensions } from 'file-type';
import type { SniffedType } from './content-type.js';

/**
 * Extensions whose files are text, which has no signature: their content
 * passes when file-type recognises nothing in it, or XML (a text format it
 * does recognise, by its `<?xml` prolog).
 */
const textExtensions = new Set(['txt', 'csv', 'log', 'md', 'json', 'eml', 'xml', 'svg', 'html', 'htm', 'yaml', 'yml']);

/** Office documents are zip containers that file-type names more closely when their first entries say so. */
const OFFICE_ZIPS = ['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp'];

/**
 * What file-type may call the content of a file with each extension, where
 * that is not just the extension itself: other names of one format, and
 * formats carried in another (an office document in its zip or OLE
 * container, a video in an MPEG-4 or QuickTime box).
 */
const contentOfExtension: Record<string, readonly string[]> = {
  jpeg: ['jpg'],
  png: ['png', 'apng'],
  tiff: ['tif'],
  doc: ['cfb'],
  xls: ['cfb'],
  ppt: ['cfb'],
  msg: ['cfb'],
  docx: ['docx', 'zip'],
  xlsx: ['xlsx', 'zip'],
  pptx: ['pptx', 'zip'],
  odt: ['odt', 'zip'],
  ods: ['ods', 'zip'],
  odp: ['odp', 'zip'],
  zip: ['zip', ...OFFICE_ZIPS],
  gz: ['gz', 'tar.gz'],
  mp4: ['mp4', 'm4v', 'm4a', 'mov'],
  mov: ['mov', 'mp4', 'm4v'],
};

const recognisable = new Set<string>(supportedExtensions);

/**
 * Why content does not match the extension of the name it is stored under,
 * or null when it does: `report.png` must hold a PNG, `notes.txt` text. An
 * extension file-type cannot recognise (one an admin allowed, like `dwg`
 * before file-type knew it) takes content it does not recognise either.
 */
export function extensionMismatch(extension: string, sniffed: SniffedType | null): string | null {
  if (extension === '') return null;
  if (textExtensions.has(extension)) {
    if (sniffed === null || sniffed.ext === 'xml') return null;
    return `the name ends in .${extension}, a text file, but the content is ${sniffed.mime} (a .${sniffed.ext} file); give it a name that ends in .${sniffed.ext}`;
  }
  const expected = contentOfExtension[extension] ?? [extension];
  if (sniffed === null) {
    if (!expected.some((type) => recognisable.has(type))) return null;
    return `the name ends in .${extension}, but the content does not begin the way a .${extension} file does`;
  }
  if (expected.includes(sniffed.ext)) return null;
  return `the name ends in .${extension}, but the content is ${sniffed.mime} (a .${sniffed.ext} file); give it a name that ends in .${sniffed.ext}`;
}
