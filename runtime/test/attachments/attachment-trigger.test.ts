import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import type { ResolvedTable } from '../../src/dictionary/dictionary.js';
import type { StoredCaptureDefinition } from '../../src/sync/config/sync-config-store.js';
import { AttachmentTrigger } from '../../src/sync/attachments/attachment-trigger.js';
import type { RecordStore, StoredRecord } from '../../src/table/record-store.js';

const table = { name: 'incident', lineage: ['incident', 'task'] } as ResolvedTable;
const record = { sys_id: 'a'.repeat(32), sys_domain: 'global' } as StoredRecord;
const actor = { userName: 'agent' } as Principal;

/** How many updates attaching a file to the record writes, with these capture definitions. */
async function updatesWith(definition: Partial<StoredCaptureDefinition>): Promise<number> {
  let updates = 0;
  const records = { update: async () => (updates++, record) } as unknown as RecordStore;
  const config = { captureDefinitionsFor: async () => [{ include_attachments: true, operations: ['insert', 'update'], sys_domain: 'global', ...definition } as StoredCaptureDefinition] };
  await new AttachmentTrigger(config, records).attached(table, record, actor);
  return updates;
}

describe('a file attached to a captured record', () => {
  it("is written as an update when a definition captures the record's updates with its attachments", async () => {
    expect(await updatesWith({})).toBe(1);
  });

  it('writes nothing when no definition would capture that update', async () => {
    expect(await updatesWith({ include_attachments: false })).toBe(0);
    expect(await updatesWith({ operations: ['insert', 'delete'] })).toBe(0);
    expect(await updatesWith({ sys_domain: 'global/acme' })).toBe(0);
  });
});
