import { tableDefinitionSchema, type FieldDefinition, type TableDefinition } from '@lockstep/schema';
import { systemFields } from './system-fields.js';

export interface TableRoles {
  read: string[];
  write: string[];
}

/** A table with its inheritance resolved: everything a write or query needs to know. */
export interface ResolvedTable {
  name: string;
  label: string;
  /**
   * The collection that holds this table's whole hierarchy. Like the original,
   * a parent table's records include its children's (a query on task finds
   * incidents), so one collection per root table keeps that a single query.
   */
  storage: string;
  /** This table and every table that extends it, directly or not. */
  classes: string[];
  /** From the root table down to this one. */
  lineage: string[];
  numberPrefix: string | undefined;
  roles: TableRoles;
  /** System fields first, then inherited fields, a child's redefinition replacing its parent's. */
  fields: ReadonlyMap<string, FieldDefinition>;
}

export class DictionaryError extends Error {
  override readonly name = 'DictionaryError';
}

export class TableDictionary {
  private readonly tables = new Map<string, ResolvedTable>();

  constructor(definitions: TableDefinition[]) {
    const byName = new Map<string, TableDefinition>();
    for (const raw of definitions) {
      const definition = tableDefinitionSchema.parse(raw);
      if (byName.has(definition.name)) throw new DictionaryError(`table ${definition.name} is declared twice`);
      byName.set(definition.name, definition);
    }
    for (const definition of byName.values()) {
      this.tables.set(definition.name, resolve(definition, byName));
    }
    for (const table of this.tables.values()) {
      for (const ancestor of table.lineage.slice(0, -1)) this.tables.get(ancestor)?.classes.push(table.name);
    }
  }

  get(name: string): ResolvedTable | undefined {
    return this.tables.get(name);
  }

  list(): ResolvedTable[] {
    return [...this.tables.values()];
  }
}

function resolve(definition: TableDefinition, byName: Map<string, TableDefinition>): ResolvedTable {
  const chain: TableDefinition[] = [];
  for (let current: TableDefinition | undefined = definition; current; ) {
    if (chain.includes(current)) throw new DictionaryError(`table ${definition.name} extends itself`);
    chain.unshift(current);
    if (current.extends === undefined) break;
    const parent = byName.get(current.extends);
    if (!parent) throw new DictionaryError(`table ${current.name} extends unknown table ${current.extends}`);
    current = parent;
  }
  const fields = new Map<string, FieldDefinition>();
  for (const field of systemFields) fields.set(field.name, field);
  for (const table of chain) {
    for (const field of table.fields) {
      if (field.name.startsWith('sys_')) throw new DictionaryError(`table ${table.name} may not declare system field ${field.name}`);
      fields.set(field.name, field);
    }
  }
  const nearest = <K extends 'roles' | 'numberPrefix'>(key: K): TableDefinition[K] =>
    chain.findLast((table) => table[key] !== undefined)?.[key];
  const roles = nearest('roles');
  if (!roles) throw new DictionaryError(`table ${definition.name} has no roles, nor does any table it extends`);
  const root = chain[0] ?? definition;
  return {
    name: definition.name,
    label: definition.label,
    storage: `table_${root.name}`,
    classes: [definition.name],
    lineage: chain.map((table) => table.name),
    numberPrefix: nearest('numberPrefix'),
    roles,
    fields,
  };
}
