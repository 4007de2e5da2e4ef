import type { FieldDefinition } from '@lockstep/schema';
import { useApi } from '../console/use-api';
import { textOf } from '../inspector/text-of';
import { referenced } from './referenced';

type ReferenceField = Extract<FieldDefinition, { type: 'reference' }>;

/**
 * A reference field: whom or what it names, linked where the console has a
 * page for it, above the sys_id it holds, which is what is changed.
 */
export function ReferenceInput({ field, value, onChange, disabled }: { field: ReferenceField; value: unknown; onChange: (value: unknown) => void; disabled: boolean }) {
  const sysId = textOf(value);
  const loaded = useApi(async () => (sysId === '' ? null : { found: await referenced(field.reference, sysId) }), `${field.reference}/${sysId}`);
  const found = loaded.value?.found ?? null;
  const shown =
    sysId === '' ? 'empty' : loaded.error !== null ? 'could not be looked up' : loaded.value === null ? 'Loading…' : found === null ? `a ${field.reference === 'sys_user' ? 'user' : 'record'} you may not see` : found.text;
  return (
    <div className="reference-field" data-reference={field.name}>
      {found?.href ? (
        <a className="reference-display" href={found.href}>
          {shown}
        </a>
      ) : (
        <span className={`reference-display ${found === null ? 'muted' : ''}`}>{shown}</span>
      )}
      <input
        id={`field-${field.name}`}
        name={field.name}
        className="reference-sys-id"
        value={sysId}
        placeholder="sys_id"
        title={`The sys_id of the ${field.reference} record`}
        disabled={disabled || field.readOnly === true}
        onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
      />
    </div>
  );
}
