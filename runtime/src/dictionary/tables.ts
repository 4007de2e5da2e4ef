import type { FieldDefinition, TableDefinition } from '@lockstep/schema';

/** The tables Lockstep ships, in the shape users of the original know. */

const priorityChoices = [
  { value: '1', label: '1 - Critical' },
  { value: '2', label: '2 - High' },
  { value: '3', label: '3 - Moderate' },
  { value: '4', label: '4 - Low' },
  { value: '5', label: '5 - Planning' },
];

const impactUrgencyChoices = [
  { value: '1', label: '1 - High' },
  { value: '2', label: '2 - Medium' },
  { value: '3', label: '3 - Low' },
];

/** A state field; new records start in the first choice. */
function state(choices: [value: string, label: string][]): FieldDefinition {
  const [first] = choices;
  return {
    name: 'state',
    label: 'State',
    type: 'choice',
    choices: choices.map(([value, label]) => ({ value, label })),
    ...(first ? { default: first[0] } : {}),
  };
}

const task: TableDefinition = {
  name: 'task',
  label: 'Task',
  numberPrefix: 'TASK',
  roles: { read: ['itil'], write: ['itil'] },
  fields: [
    { name: 'number', label: 'Number', type: 'string', maxLength: 40, readOnly: true },
    { name: 'short_description', label: 'Short description', type: 'string', maxLength: 160 },
    { name: 'description', label: 'Description', type: 'string', maxLength: 4000 },
    state([
      ['1', 'Open'],
      ['-5', 'Pending'],
      ['2', 'Work in Progress'],
      ['3', 'Closed Complete'],
      ['4', 'Closed Incomplete'],
      ['7', 'Closed Skipped'],
    ]),
    { name: 'priority', label: 'Priority', type: 'choice', choices: priorityChoices, default: '4' },
    { name: 'impact', label: 'Impact', type: 'choice', choices: impactUrgencyChoices, default: '3' },
    { name: 'urgency', label: 'Urgency', type: 'choice', choices: impactUrgencyChoices, default: '3' },
    { name: 'active', label: 'Active', type: 'boolean', default: true },
    { name: 'assigned_to', label: 'Assigned to', type: 'reference', reference: 'sys_user' },
    { name: 'assignment_group', label: 'Assignment group', type: 'string', maxLength: 80 },
    { name: 'opened_at', label: 'Opened', type: 'date_time', default: { dynamic: 'now' } },
    { name: 'opened_by', label: 'Opened by', type: 'reference', reference: 'sys_user', default: { dynamic: 'current_user' } },
    { name: 'closed_at', label: 'Closed', type: 'date_time' },
    { name: 'correlation_id', label: 'Correlation ID', type: 'string', maxLength: 100 },
    { name: 'correlation_display', label: 'Correlation display', type: 'string', maxLength: 100 },
    { name: 'reassignment_count', label: 'Reassignment count', type: 'integer', default: 0 },
    { name: 'comments', label: 'Additional comments', type: 'journal' },
    { name: 'work_notes', label: 'Work notes', type: 'journal' },
    // The record's open remote tasks, as `<definition>:<remote system>` pairs: what their capture definitions' filters test, so a record with none is never queued for them.
    { name: 'remote_tasks', label: 'Remote tasks', type: 'string', maxLength: 4000, readOnly: true },
  ],
};

const incident: TableDefinition = {
  name: 'incident',
  label: 'Incident',
  extends: 'task',
  numberPrefix: 'INC',
  fields: [
    state([
      ['1', 'New'],
      ['2', 'In Progress'],
      ['3', 'On Hold'],
      ['6', 'Resolved'],
      ['7', 'Closed'],
      ['8', 'Canceled'],
    ]),
    { name: 'caller_id', label: 'Caller', type: 'reference', reference: 'sys_user' },
    {
      name: 'category',
      label: 'Category',
      type: 'choice',
      choices: [
        { value: 'inquiry', label: 'Inquiry / Help' },
        { value: 'software', label: 'Software' },
        { value: 'hardware', label: 'Hardware' },
        { value: 'network', label: 'Network' },
        { value: 'database', label: 'Database' },
      ],
    },
    { name: 'close_code', label: 'Resolution code', type: 'string', maxLength: 40 },
    { name: 'close_notes', label: 'Resolution notes', type: 'string', maxLength: 4000 },
  ],
};

const scRequest: TableDefinition = {
  name: 'sc_request',
  label: 'Request',
  extends: 'task',
  numberPrefix: 'REQ',
  fields: [
    { name: 'requested_for', label: 'Requested for', type: 'reference', reference: 'sys_user' },
    {
      name: 'request_state',
      label: 'Request state',
      type: 'choice',
      default: 'requested',
      choices: [
        { value: 'requested', label: 'Pending Approval' },
        { value: 'in_process', label: 'Approved' },
        { value: 'closed_complete', label: 'Closed Complete' },
        { value: 'closed_incomplete', label: 'Closed Incomplete' },
        { value: 'closed_cancelled', label: 'Closed Cancelled' },
        { value: 'closed_rejected', label: 'Closed Rejected' },
      ],
    },
  ],
};

const customerCase: TableDefinition = {
  name: 'case',
  label: 'Case',
  extends: 'task',
  numberPrefix: 'CS',
  fields: [
    state([
      ['1', 'New'],
      ['10', 'Open'],
      ['18', 'Awaiting Info'],
      ['6', 'Resolved'],
      ['3', 'Closed'],
      ['7', 'Cancelled'],
    ]),
    { name: 'account', label: 'Account', type: 'string', maxLength: 80 },
    { name: 'contact', label: 'Contact', type: 'string', maxLength: 80 },
    { name: 'resolution_code', label: 'Resolution code', type: 'string', maxLength: 40 },
    { name: 'close_notes', label: 'Resolution notes', type: 'string', maxLength: 4000 },
  ],
};

const remoteTask: TableDefinition = {
  name: 'remote_task',
  label: 'Remote Task',
  extends: 'task',
  numberPrefix: 'RTASK',
  fields: [
    // The record it links, on this instance: an incident on a consumer, a case on a provider.
    { name: 'parent', label: 'Parent', type: 'reference', reference: 'task' },
    { name: 'parent_table', label: 'Parent table', type: 'string', maxLength: 80 },
    { name: 'remote_task_definition', label: 'Remote task definition', type: 'string', maxLength: 100 },
    { name: 'definition_revision', label: 'Definition revision', type: 'integer' },
    { name: 'remote_system', label: 'Remote system', type: 'string', maxLength: 32 },
    { name: 'remote_instance', label: 'Remote instance', type: 'string', maxLength: 100 },
    // The other side's remote task, once its first payload has come back.
    { name: 'remote_number', label: 'Remote number', type: 'string', maxLength: 40 },
    { name: 'remote_sys_id', label: 'Remote sys_id', type: 'string', maxLength: 32 },
    { name: 'remote_state', label: 'Remote state', type: 'string', maxLength: 40 },
    // When this side first sent it: the fields that sync on insert only go with that payload.
    { name: 'first_sent_on', label: 'First sent', type: 'date_time' },
  ],
};

export const shippedTables: TableDefinition[] = [task, incident, scRequest, customerCase, remoteTask];
