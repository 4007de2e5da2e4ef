import type { RemoteSystemView } from '../api/sync-config';
import { nameAndDescription, type FormField, type FormValues } from '../console/form-dialog';

export interface Choices {
  users: { value: string; label: string }[] | null;
  errorSubflows: { value: string; label: string }[];
}

/** The remote system's form; users are picked from a list when the caller may list them (admins), typed as sys_ids otherwise. */
export function remoteSystemFields(choices: Choices, editing: boolean): FormField[] {
  const user = (name: string, label: string, role: string): FormField =>
    choices.users === null ? { name, label: `${label} (sys_id)`, kind: 'text', help: `A user with the ${role} role.` } : { name, label, kind: 'select', options: choices.users, help: `A user with the ${role} role.` };
  const keep = editing ? ' Leave empty to keep the stored one.' : '';
  return [
    ...nameAndDescription("What the remote instance is, e.g. the provider's instance."),
    { name: 'external_id', label: 'External ID', kind: 'text', help: "The sys_id of the peer's remote system record for this instance." },
    { name: 'base_url', label: 'Connection: base URL', kind: 'text', help: 'e.g. http://127.0.0.1:8700' },
    { name: 'user_name', label: "Connection: the peer's inbound API user", kind: 'text' },
    { name: 'password', label: 'Connection: its password', kind: 'password', help: `Never shown back.${keep}` },
    { name: 'signing_secret', label: 'Connection: shared signing secret', kind: 'password', help: `At least 32 characters, the same on both instances.${keep}` },
    user('inbound_api_user', 'Inbound API user', 'ih_process_sync_api'),
    user('run_as_user', 'Run inbound flows as', 'ih_process_sync_run_as'),
    { name: 'error_subflow', label: 'Error subflow', kind: 'select', options: choices.errorSubflows, help: 'Runs when the inbound or outbound state becomes error.' },
  ];
}

export function remoteSystemValues(remote: RemoteSystemView): FormValues {
  return {
    name: remote.name,
    description: remote.description,
    external_id: remote.external_id ?? '',
    base_url: remote.connection.base_url,
    user_name: remote.connection.user_name,
    inbound_api_user: remote.inbound_api_user,
    run_as_user: remote.run_as_user,
    error_subflow: remote.error_subflow ?? '',
  };
}

/** The API body: empty secrets are left out (kept, on a change), empty optional references become null. */
export function remoteSystemBody(values: FormValues): Record<string, unknown> {
  const connection: Record<string, unknown> = { base_url: values.base_url ?? '', user_name: values.user_name ?? '' };
  if (values.password) connection.password = values.password;
  if (values.signing_secret) connection.signing_secrets = [values.signing_secret];
  return {
    name: values.name ?? '',
    description: values.description ?? '',
    external_id: values.external_id || null,
    connection,
    inbound_api_user: values.inbound_api_user ?? '',
    run_as_user: values.run_as_user ?? '',
    error_subflow: values.error_subflow || null,
  };
}
