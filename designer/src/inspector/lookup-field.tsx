import { useEffect, useState } from 'react';
import { dictionaryApi } from '../api/dictionary';
import { syncConfigApi } from '../api/sync-config';
import type { DataPill } from './data-pills';
import { ExpressionInput, type Suggestion } from './expression-input';
import type { LookupSource } from './field-kind';

async function optionsOf(source: LookupSource): Promise<Suggestion[]> {
  if (source === 'table') return (await dictionaryApi.tables()).map((table) => ({ value: table.name, label: table.label }));
  return (await syncConfigApi.remoteSystems.list()).rows.map((system) => ({ value: system.sys_id, label: system.name }));
}

/**
 * A param that names a live record (a table, a remote system): a text field
 * that still takes data pills, offering this instance's records as it is
 * typed in, and naming the one picked, whose value may be a bare sys_id.
 */
export function LookupField({
  label,
  source,
  value,
  onChange,
  pills,
  disabled,
}: {
  label: string;
  source: LookupSource;
  value: string;
  onChange: (value: string) => void;
  pills: readonly DataPill[];
  disabled: boolean;
}) {
  const [options, setOptions] = useState<Suggestion[]>([]);
  useEffect(() => {
    let current = true;
    // Read each time the field shows, so a remote system made a moment ago is offered; without access the field is plain text.
    optionsOf(source).then(
      (loaded) => current && setOptions(loaded),
      () => current && setOptions([]),
    );
    return () => {
      current = false;
    };
  }, [source]);
  const picked = options.find((option) => option.value === value);
  return (
    <>
      <ExpressionInput label={label} value={value} onChange={onChange} pills={pills} disabled={disabled} suggestions={options} />
      {picked && picked.label !== picked.value && <p className="field-help lookup-picked">{picked.label}</p>}
    </>
  );
}
