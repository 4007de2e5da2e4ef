import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '@lockstep/store';
import { type ContractContext, uniqueCollectionName } from './context.js';

export function lifecycle(context: ContractContext): void {
  describe('opening and closing', () => {
    it('answers a ping and says what it is', async () => {
      const store = context.store();
      await expect(store.ping()).resolves.toBeUndefined();
      expect(store.kind).toBe(context.adapter.name);
      expect(store.location).not.toMatch(/@/);
    });

    it('keeps documents, dates and unique indexes across a close and a reopen', async () => {
      const name = uniqueCollectionName();
      const at = new Date('2024-03-31T23:59:59.999Z');
      const first = await context.adapter.open();
      const users = first.collection(name);
      await users.createIndex({ fields: ['email'], unique: true });
      await users.insertMany([
        { _id: 'u1', email: 'ann@example.com', at },
        { _id: 'u2', email: 'bob@example.com', at },
      ]);
      await users.updateOne({ _id: 'u2' }, { $set: { email: 'bea@example.com' } });
      await users.deleteOne({ _id: 'u1' });
      await users.insertOne({ _id: 'u3', email: 'cy@example.com' });
      await first.close();

      const second = await context.adapter.open();
      try {
        const reopened = second.collection(name);
        expect(await reopened.find({}, { sort: { _id: 1 } })).toEqual([
          { _id: 'u2', email: 'bea@example.com', at },
          { _id: 'u3', email: 'cy@example.com' },
        ]);
        await expect(reopened.insertOne({ email: 'cy@example.com' })).rejects.toBeInstanceOf(DuplicateKeyError);
      } finally {
        await second.close();
      }
    });
  });
}
