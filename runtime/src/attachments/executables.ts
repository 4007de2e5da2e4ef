import type { SniffedType } from './content-type.js';

/**
 * A script that runs by its first line (`#!/bin/sh`, `#!/usr/bin/env python`):
 * file-type has no type for it, so sniffType names it this.
 */
export const SHEBANG_SCRIPT: SniffedType = { mime: 'text/x-script', ext: 'script' };

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** `#!` at the very start; after a byte order mark too, which some editors write and some loaders skip. */
export function startsWithShebang(head: Buffer): boolean {
  const start = head.subarray(0, UTF8_BOM.length).equals(UTF8_BOM) ? UTF8_BOM.length : 0;
  return head[start] === 0x23 && head[start + 1] === 0x21;
}

/**
 * What file-type recognises (by its extension names) that runs when it is
 * opened: programs and libraries (PE, ELF, Mach-O, Java, WebAssembly, Flash),
 * installers and packages, browser extensions, and Windows files that act
 * on the machine (shortcuts, registry files, compiled help).
 */
const executableTypes = new Set(['exe', 'elf', 'macho', 'class', 'jar', 'wasm', 'swf', 'apk', 'crx', 'xpi', 'deb', 'rpm', 'dmg', 'lnk', 'reg', 'chm']);

/** Why this content is refused as an executable, or null when it is not one. */
export function executableContent(sniffed: SniffedType | null): string | null {
  if (sniffed === null) return null;
  if (sniffed.mime === SHEBANG_SCRIPT.mime) return 'the content is a script (it starts with #!); scripts and programs are not accepted as attachments';
  if (!executableTypes.has(sniffed.ext)) return null;
  return `the content is an executable (${sniffed.mime}, a .${sniffed.ext} file); programs and scripts are not accepted as attachments`;
}
