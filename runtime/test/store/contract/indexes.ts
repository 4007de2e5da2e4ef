import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '@lockstep/store';
import { type ContractContext, idsOf } from './context.js';

export function indexes(context: ContractContext): void {
  describe('indexes', () => {
    it('a unique index refuses a duplicate insert', async () => {
      const users = context.freshCollection();
      await users.createIndex({ fields: ['email'], unique: true });
      await users.insertOne({ _id: 'u1', email: 'ann@example.com' });
      const clash = users.insertOne({ _id: 'u2', email: 'ann@example.com' });
      await expect(clash).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(clash).rejects.toMatchObject({ collection: users.name });
      await users.insertOne({ _id: 'u3', email: 'bob@example.com' });
      expect(await idsOf(users, {})).toEqual(['u1', 'u3']);
    });

    it('a unique index refuses an update that would duplicate, leaving the document as it was', async () => {
      const users = context.freshCollection();
      await users.createIndex({ fields: ['email'], unique: true });
      await users.insertMany([
        { _id: 'u1', email: 'ann@example.com' },
        { _id: 'u2', email: 'bob@example.com' },
      ]);
      await expect(users.updateOne({ _id: 'u2' }, { $set: { email: 'ann@example.com' } })).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(users.updateMany({ _id: 'u2' }, { $set: { email: 'ann@example.com' } })).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(users.findOneAndUpdate({ _id: 'u2' }, { $set: { email: 'ann@example.com' } })).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(users.updateOne({ email: 'ann@example.com', name: 'Ann' }, { $set: { seen: true } }, { upsert: true })).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
      expect(await users.find({}, { sort: { _id: 1 } })).toEqual([
        { _id: 'u1', email: 'ann@example.com' },
        { _id: 'u2', email: 'bob@example.com' },
      ]);
    });

    it('a unique compound index refuses only the same combination', async () => {
      const links = context.freshCollection();
      await links.createIndex({ fields: ['system', 'localId'], unique: true });
      await links.insertMany([
        { _id: 'l1', system: 'north', localId: 'A' },
        { _id: 'l2', system: 'north', localId: 'B' },
        { _id: 'l3', system: 'south', localId: 'A' },
      ]);
      await expect(links.insertOne({ _id: 'l4', system: 'south', localId: 'A' })).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(links.updateOne({ _id: 'l2' }, { $set: { localId: 'A' } })).rejects.toBeInstanceOf(DuplicateKeyError);
      await links.updateOne({ _id: 'l2' }, { $set: { localId: 'C' } });
      expect(await idsOf(links, { localId: 'C' })).toEqual(['l2']);
    });

    it('a unique index cannot be made over values that are already duplicated', async () => {
      const users = context.freshCollection();
      await users.insertMany([
        { _id: 'u1', email: 'same@example.com' },
        { _id: 'u2', email: 'same@example.com' },
      ]);
      await expect(users.createIndex({ fields: ['email'], unique: true })).rejects.toBeInstanceOf(DuplicateKeyError);
      await users.insertOne({ _id: 'u3', email: 'same@example.com' });
      expect(await users.countDocuments({ email: 'same@example.com' })).toBe(3);
    });

    it('a plain index allows duplicates, and creating an index twice is harmless', async () => {
      const items = context.freshCollection();
      await items.createIndex({ fields: ['status'] });
      await items.createIndex({ fields: ['status'] });
      await items.createIndex({ fields: ['status', 'createdAt'] });
      await items.insertMany([
        { _id: 'i1', status: 'Ready' },
        { _id: 'i2', status: 'Ready' },
      ]);
      expect(await idsOf(items, { status: 'Ready' })).toEqual(['i1', 'i2']);
    });

    it('a sparse index answers every query as a plain one would, the documents without its field included', async () => {
      const items = context.freshCollection();
      await items.createIndex({ fields: ['pending'], sparse: true });
      await items.insertMany([{ _id: 'i1', pending: true }, { _id: 'i2' }, { _id: 'i3', pending: false }]);
      await items.updateOne({ _id: 'i2' }, { $set: { pending: true } });
      await items.updateOne({ _id: 'i1' }, { $unset: { pending: true } });
      expect(await idsOf(items, { pending: true })).toEqual(['i2']);
      expect(await idsOf(items, { pending: { $in: [true, false] } })).toEqual(['i2', 'i3']);
      expect(await idsOf(items, { pending: null })).toEqual(['i1']);
      expect(await idsOf(items, { pending: { $ne: true } })).toEqual(['i1', 'i3']);
      expect(await items.countDocuments({})).toBe(3);
    });

    it('counts the writes this process made to each collection, failed ones too, but not reads', async () => {
      const items = context.freshCollection();
      const other = context.freshCollection();
      const count = () => context.store().writeCount(items.name);
      const before = count();
      await items.createIndex({ fields: ['email'], unique: true });
      await items.insertOne({ _id: 'a', email: 'ann@example.com' });
      await items.updateOne({ _id: 'a' }, { $set: { n: 1 } });
      await expect(items.insertOne({ _id: 'b', email: 'ann@example.com' })).rejects.toBeInstanceOf(DuplicateKeyError);
      await items.find({});
      await other.insertOne({ _id: 'x' });
      expect(count() - before).toBe(4);
      // Another handle on the same collection counts into the same total.
      await context.store().collection(items.name).deleteOne({ _id: 'a' });
      expect(count() - before).toBe(5);
    });
  });
}
