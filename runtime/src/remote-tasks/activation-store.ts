import type { ActivatedField, ConditionGroup } from '@lockstep/schema';
import { newId, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';
import { nowDateTime } from '../time.js';

/** The sync configuration an activation made, by sys_id. */
export interface GeneratedConfig {
  process_event: string;
  capture_definition: string;
  outbound_flow: string;
  inbound_flow: string;
}

interface Audited extends StoredDocument {
  sys_domain: string;
  sys_created_on: string;
  sys_created_by: string;
  sys_updated_on: string;
  sys_updated_by: string;
}

/** A consumer's activation of a provider's definition: the revisions it ran, each with its rules. */
export interface StoredActivation extends Audited {
  remote_system: string;
  definition: string;
  name: string;
  table: string;
  process_event: string;
  /** The revision new tasks are raised with. */
  revision: number;
  /** Every revision activated, so a task raised before an upgrade keeps its rules. */
  revisions: { revision: number; name: string; fields: ActivatedField[] }[];
  generated: GeneratedConfig;
}

export interface StoredTrigger extends Audited {
  name: string;
  activation: string;
  condition: ConditionGroup;
  active: boolean;
}

function audit(actor: string, domain: string) {
  const now = nowDateTime();
  return { _id: newId(), sys_domain: domain, sys_created_on: now, sys_created_by: actor, sys_updated_on: now, sys_updated_by: actor };
}

/** Activations and their triggers, on the consumer. */
export class ActivationStore {
  readonly activations: Collection<StoredActivation>;
  readonly triggers: Collection<StoredTrigger>;

  constructor(store: DocumentStore) {
    this.activations = store.collection<StoredActivation>('remote_task_activation');
    this.triggers = store.collection<StoredTrigger>('remote_task_trigger');
  }

  async prepare(): Promise<void> {
    await this.activations.createIndex({ fields: ['remote_system', 'definition'], unique: true });
    await this.triggers.createIndex({ fields: ['activation'] });
  }

  of(remoteSystem: string, definition: string): Promise<StoredActivation | null> {
    return this.activations.findOne({ remote_system: remoteSystem, definition });
  }

  insert(fields: Omit<StoredActivation, keyof Audited>, actor: string, domain: string): Promise<StoredActivation> {
    return this.activations.insertOne({ ...fields, ...audit(actor, domain) });
  }

  update(id: string, fields: Partial<StoredActivation>, actor: string): Promise<StoredActivation | null> {
    return this.activations.findOneAndUpdate({ _id: id }, { $set: { ...fields, sys_updated_on: nowDateTime(), sys_updated_by: actor } }, { returnDocument: 'after' });
  }

  insertTrigger(fields: Pick<StoredTrigger, 'name' | 'activation' | 'condition' | 'active'>, actor: string, domain: string): Promise<StoredTrigger> {
    return this.triggers.insertOne({ ...fields, ...audit(actor, domain) });
  }

  updateTrigger(id: string, fields: Partial<StoredTrigger>, actor: string): Promise<StoredTrigger | null> {
    return this.triggers.findOneAndUpdate({ _id: id }, { $set: { ...fields, sys_updated_on: nowDateTime(), sys_updated_by: actor } }, { returnDocument: 'after' });
  }

  activeTriggers(activation: string): Promise<StoredTrigger[]> {
    return this.triggers.find({ activation, active: true }, { sort: { sys_created_on: 1, _id: 1 } });
  }
}
