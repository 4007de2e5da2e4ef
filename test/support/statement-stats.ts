import { writeFile } from 'node:fs/promises';

/**
 * LOCKSTEP_PG_STATEMENTS=PREFIX: the throwaway cluster loads
 * pg_stat_statements, and when it stops writes what each SQL statement cost
 * to PREFIX.<port>.tsv (calls, execution ms, planning ms, rows, shared
 * blocks hit, the statement), costliest first: which of FerretDB's
 * statements, so which store operations, PostgreSQL spends its time on.
 */
export const statementStatsPrefix = process.env.LOCKSTEP_PG_STATEMENTS || undefined;

/** The cluster settings that gather the statements' costs, when asked for. */
export function statementStatsSettings(): string[] {
  if (statementStatsPrefix === undefined) return [];
  return ["shared_preload_libraries = 'pg_stat_statements'", 'pg_stat_statements.track = all', 'pg_stat_statements.track_planning = on', 'pg_stat_statements.max = 10000'];
}

/** What psql runs, in the cluster's `postgres` database, to read them. */
export const statementStatsQuery = [
  'CREATE EXTENSION IF NOT EXISTS pg_stat_statements;',
  'COPY (SELECT calls, round(total_exec_time::numeric, 1), round(total_plan_time::numeric, 1), rows, shared_blks_hit,',
  "regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC) TO STDOUT",
].join(' ');

/** Writes what `read` (the query's output) answers, when asked for; a failure is told, not thrown: the cluster still has to stop. */
export async function saveStatementStats(port: number, read: () => Promise<string>): Promise<void> {
  if (statementStatsPrefix === undefined) return;
  const file = `${statementStatsPrefix}.${port}.tsv`;
  try {
    await writeFile(file, await read());
    console.log(`postgresql: the statements' costs are in ${file}`);
  } catch (error) {
    console.error(`postgresql: could not read pg_stat_statements: ${(error as Error).message}`);
  }
}
