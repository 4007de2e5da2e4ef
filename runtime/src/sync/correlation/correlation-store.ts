import { scopeOf } from '../../domains/domain-scope.js';
import { derivedId, DuplicateKeyError, ReadCache, type Collection, type DocumentStore, type Filter, type StoredDocument } from '@lockstep/store';
import { nowDateTime } from '../../time.js';

export type CorrelationState = 'active' | 'inactive';

/**
 * Links a local record with its counterpart on one remote system. Each side
 * has its own correlation id; a side learns the other's from the first
 * envelope that carries it.
 */
export interface StoredCorrelation extends StoredDocument {
  local_correlation_id: string;
  remote_correlation_id: string | null;
  local_table: string;
  local_record: string;
  remote_system: string;
  state: CorrelationState;
  sys_domain: string;
  sys_created_on: string;
  sys_updated_on: string;
}

/** What flows see of a correlation: the link itself, not its bookkeeping. */
export type CorrelationView = Pick<StoredCorrelation, 'local_correlation_id' | 'remote_correlation_id' | 'local_table' | 'local_record' | 'remote_system' | 'state'> & {
  sys_id: string;
};

export function toCorrelationView(stored: StoredCorrelation): CorrelationView {
  const { _id, local_correlation_id, remote_correlation_id, local_table, local_record, remote_system, state } = stored;
  return { sys_id: _id, local_correlation_id, remote_correlation_id, local_table, local_record, remote_system, state };
}

export interface NewCorrelation {
  localTable: string;
  localRecord: string;
  remoteSystem: string;
  remoteCorrelationId: string | null;
  /** The creating run's: the correlation lives there. */
  domain: string;
}

/**
 * A record's correlation id with a remote system, the same before and after
 * the correlation record exists: the first envelope for a record is sent
 * before its correlation is created, and must already carry the id that the
 * correlation will have. Creating it twice (a step redone, two runs racing)
 * then meets the same record.
 */
export function localCorrelationId(localTable: string, localRecord: string, remoteSystem: string): string {
  return derivedId('local-correlation-id', localTable, localRecord, remoteSystem);
}

const CORRELATIONS = 'sync_correlation';

/** The look-ups' filters, whose JSON is also what their answers are held under. */
const byLocalId = (localCorrelationId: string, remoteSystem?: string): Filter =>
  remoteSystem === undefined ? { local_correlation_id: localCorrelationId } : { local_correlation_id: localCorrelationId, remote_system: remoteSystem };
const byLocalRecord = (localTable: string, localRecord: string, remoteSystem: string): Filter => ({ local_table: localTable, local_record: localRecord, remote_system: remoteSystem });
const byRemoteId = (remoteSystem: string, remoteCorrelationId: string): Filter => ({ remote_system: remoteSystem, remote_correlation_id: remoteCorrelationId });

/**
 * The keys of the look-ups that find `correlation`: by its unique fields,
 * and by its remote id once known (a remote record's id is its own, and it
 * has one correlation with this system, so that look-up finds no other).
 */
const keysOf = ({ local_correlation_id: localId, remote_correlation_id: remoteId, local_table, local_record, remote_system }: StoredCorrelation): string[] =>
  [
    byLocalId(localId),
    byLocalId(localId, remote_system),
    byLocalRecord(local_table, local_record, remote_system),
    ...(remoteId === null ? [] : [byRemoteId(remote_system, remoteId)]),
  ].map((filter) => JSON.stringify(filter));

/** What a record created here, under an id made here, is held under until a correlation of it is written: it has none yet (created). */
const noneYet = (localTable: string, localRecord: string): string => JSON.stringify({ created_here: [localTable, localRecord] });

/** The look-ups a write of `correlation` may change: those that find it, and its record's none yet. */
const changedBy = (correlation: StoredCorrelation): string[] => [...keysOf(correlation), noneYet(correlation.local_table, correlation.local_record)];

/** Correlation look-ups held at most, each a correlation of a few hundred bytes. */
const LOOKUPS_HELD = 10_000;

export class CorrelationStore {
  private readonly correlations: Collection<StoredCorrelation>;
  /**
   * A change's runs look its correlation up more than once (the outbound
   * flow's look-up, then Send payload's), and each change of a record again:
   * held until the correlations are written, where this process writes the
   * database alone (ReadCache, an age of 0); elsewhere each look-up reads.
   * Up to two look-ups a record (by its local and by its remote id): the
   * records being worked on, as many as LOOKUPS_HELD allows.
   */
  private readonly lookups: ReadCache;

  constructor(store: DocumentStore) {
    this.correlations = store.collection<StoredCorrelation>(CORRELATIONS);
    this.lookups = new ReadCache(store, 0, LOOKUPS_HELD);
  }

  async prepare(): Promise<void> {
    await this.correlations.createIndex({ fields: ['local_correlation_id'], unique: true });
    await this.correlations.createIndex({ fields: ['local_table', 'local_record', 'remote_system'], unique: true });
    await this.correlations.createIndex({ fields: ['remote_system', 'remote_correlation_id'] });
  }

  /** Shared with other callers, as the next two: not to be changed. */
  byLocalId(localCorrelationId: string, remoteSystem?: string): Promise<StoredCorrelation | null> {
    return this.held(byLocalId(localCorrelationId, remoteSystem));
  }

  byRemoteId(remoteSystem: string, remoteCorrelationId: string): Promise<StoredCorrelation | null> {
    return this.held(byRemoteId(remoteSystem, remoteCorrelationId));
  }

  byLocalRecord(localTable: string, localRecord: string, remoteSystem: string): Promise<StoredCorrelation | null> {
    if (this.lookups.peek(noneYet(localTable, localRecord), [CORRELATIONS]) !== undefined) return Promise.resolve(null);
    return this.held(byLocalRecord(localTable, localRecord, remoteSystem));
  }

  /** A record just created under an id made here has no correlation, with any remote system: its first look-ups need not read. */
  created(localTable: string, localRecord: string): void {
    this.lookups.know(noneYet(localTable, localRecord), [CORRELATIONS], true);
  }

  /** The one correlation `filter` finds, read or held (lookups), under its filter's JSON. */
  private held(filter: Filter): Promise<StoredCorrelation | null> {
    return this.lookups.read(JSON.stringify(filter), [CORRELATIONS], () => this.correlations.findOne(filter));
  }

  /**
   * Inserts a correlation, keeping the look-ups held for others: a run
   * creates one per new record, and each would otherwise have every other
   * record's next change read its correlation again. Only a look-up whose
   * filter the new correlation matches (every look-up is by one of the keys
   * that find it) can find something else now; those, which the record's
   * next changes make, find it.
   */
  private insert(correlation: StoredCorrelation): Promise<StoredCorrelation> {
    return this.lookups.writing(CORRELATIONS, () => this.correlations.insertOne(correlation), {
      changes: () => changedBy(correlation),
      answers: (inserted) => keysOf(inserted).map((key) => [key, structuredClone(inserted)]),
    });
  }

  /**
   * Changes one correlation by its `_id`, letting go of the look-ups that
   * may have found it before or find it now (all of them, when the write
   * failed or found none), and holding it under the keys that find it.
   */
  private change(filter: Filter & { _id: string }, set: Partial<StoredCorrelation>): Promise<StoredCorrelation | null> {
    return this.lookups.writing(CORRELATIONS, () => this.correlations.findOneAndUpdate(filter, { $set: { ...set, sys_updated_on: nowDateTime() } }), {
      // Its keys are the same before and after: a remote id is only ever learnt where none was known.
      changes: (written) => (written ? changedBy(written) : 'all'),
      answers: (written) => (written === null ? [] : keysOf(written).map((key) => [key, structuredClone(written)])),
    });
  }

  /**
   * One correlation per record and remote system: creating it again (a step
   * redone, or two runs racing) returns the one that is there, with the
   * remote id filled in if it was not known yet. One outside the creator's
   * domain is returned untouched, for the creator to refuse: it is not its
   * to change.
   */
  async create(correlation: NewCorrelation): Promise<StoredCorrelation> {
    const now = nowDateTime();
    try {
      return await this.insert({
        _id: derivedId('correlation', correlation.localTable, correlation.localRecord, correlation.remoteSystem),
        local_correlation_id: localCorrelationId(correlation.localTable, correlation.localRecord, correlation.remoteSystem),
        remote_correlation_id: correlation.remoteCorrelationId,
        local_table: correlation.localTable,
        local_record: correlation.localRecord,
        remote_system: correlation.remoteSystem,
        state: 'active',
        sys_domain: correlation.domain,
        sys_created_on: now,
        sys_updated_on: now,
      });
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      const existing = await this.byLocalRecord(correlation.localTable, correlation.localRecord, correlation.remoteSystem);
      if (!existing) throw error;
      if (!scopeOf(correlation).sees(existing.sys_domain)) return existing;
      if (existing.remote_correlation_id === null && correlation.remoteCorrelationId !== null) {
        return (await this.learnRemoteId(existing._id, correlation.remoteCorrelationId)) ?? existing;
      }
      return existing;
    }
  }

  /** The other side's id, from the first envelope that brings it; null when it was known already. */
  learnRemoteId(sysId: string, remoteCorrelationId: string): Promise<StoredCorrelation | null> {
    return this.change({ _id: sysId, remote_correlation_id: null }, { remote_correlation_id: remoteCorrelationId });
  }

  get(sysId: string): Promise<StoredCorrelation | null> {
    return this.correlations.findOne({ _id: sysId });
  }

  /** Newest first, for admins. */
  list(filter: Filter, page: { limit: number; offset: number }): Promise<StoredCorrelation[]> {
    return this.correlations.find(filter, { sort: { sys_created_on: -1, _id: 1 }, limit: page.limit, skip: page.offset });
  }

  count(filter: Filter): Promise<number> {
    return this.correlations.countDocuments(filter);
  }

  setState(sysId: string, state: CorrelationState): Promise<StoredCorrelation | null> {
    return this.change({ _id: sysId }, { state });
  }
}
