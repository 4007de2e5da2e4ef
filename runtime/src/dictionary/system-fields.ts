import type { FieldDefinition } from '@lockstep/schema';

/** Fields every record carries. The runtime writes them; clients only read them. */
export const systemFields: FieldDefinition[] = [
  { name: 'sys_id', label: 'Sys ID', type: 'string', maxLength: 32, readOnly: true },
  { name: 'sys_class_name', label: 'Class', type: 'string', readOnly: true },
  { name: 'sys_created_on', label: 'Created', type: 'date_time', readOnly: true },
  { name: 'sys_created_by', label: 'Created by', type: 'string', readOnly: true },
  { name: 'sys_updated_on', label: 'Updated', type: 'date_time', readOnly: true },
  { name: 'sys_updated_by', label: 'Updated by', type: 'string', readOnly: true },
  { name: 'sys_mod_count', label: 'Updates', type: 'integer', readOnly: true },
  { name: 'sys_domain', label: 'Domain', type: 'string', readOnly: true },
];
