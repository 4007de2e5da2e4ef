/**
 * An outbound or inbound queue item as stored, ready and untried unless
 * `fields` say otherwise, for tests that put items in a queue directly. Its
 * remote system should not be active, so that no worker takes it.
 */
export function queuedItem(fields: { _id: string; process_event: string; remote_system: string; correlation_key: string } & Record<string, unknown>) {
  return {
    status: 'ready',
    operation: 'insert',
    sequence: 1,
    payload_json: '{}',
    sys_domain: 'global',
    created_at: Date.now(),
    started_at: null,
    finished_at: null,
    time_in_queue_ms: null,
    processing_ms: null,
    error_info: null,
    retry: { attempts: 0, next_attempt_at: null, last_error: null },
    ...fields,
  };
}
