import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { documentOf, lineOf } from '../../../packages/store/src/nedb-lines.js';

const { serialize } = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as { serialize(doc: unknown): string };

describe("a collection file's lines", () => {
  const plain = { _id: 'a1', status: 'completed', steps: { send: { output: { ok: true, ids: [1, 2, null] } } }, note: null, gone: undefined };
  const dated = { _id: 'a2', at: new Date(Date.UTC(2026, 11, 3, 10, 0, 0)), nested: [{ when: new Date(0) }] };

  it('writes the line NeDB would, plain JSON or with dates as {$$date}', () => {
    expect(lineOf(plain)).toBe(serialize(plain));
    expect(lineOf(dated)).toBe(serialize(dated));
    expect(lineOf(dated)).toContain(`{"$$date":${Date.UTC(2026, 11, 3, 10, 0, 0)}}`);
  });

  it('reads back what it wrote, dates as dates', () => {
    expect(documentOf(lineOf(plain))).toEqual({ _id: 'a1', status: 'completed', steps: { send: { output: { ok: true, ids: [1, 2, null] } } }, note: null });
    const back = documentOf(lineOf(dated));
    expect(back.at).toEqual(dated.at);
    expect((back.nested as { when: Date }[])[0]?.when).toEqual(new Date(0));
  });
});
