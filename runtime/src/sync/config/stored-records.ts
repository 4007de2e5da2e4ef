import type { CaptureDefinition, FlowLink, ProcessEvent, ProcessSyncDefinition, RemoteSystem } from '@lockstep/schema';
import type { StoredDocument } from '@lockstep/store';

/**
 * The Remote Process Sync configuration records as stored: the schema's
 * fields, the `_id` the API shows as `sys_id`, and who changed them when.
 */

export interface Audit {
  sys_created_on: string;
  sys_created_by: string;
  sys_updated_on: string;
  sys_updated_by: string;
}

/** What every configuration record has, whatever its kind. */
export interface StoredConfigRecord extends StoredDocument, Audit {
  sys_domain: string;
}

export interface StoredProcessSyncDefinition extends StoredConfigRecord, ProcessSyncDefinition {}

export interface StoredProcessEvent extends StoredConfigRecord, ProcessEvent {}

export interface StoredCaptureDefinition extends StoredConfigRecord, CaptureDefinition {}

/** Holds the connection's password and signing secrets in full: the API shows only that they are set. */
export interface StoredRemoteSystem extends StoredConfigRecord, RemoteSystem {}

/** An outbound or inbound flow: which subflow runs for a process event and a remote system. */
export interface StoredFlowLink extends StoredConfigRecord, FlowLink {}
