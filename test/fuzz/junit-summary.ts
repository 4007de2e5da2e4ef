import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What one schemathesis run found, read off its JUnit report: a test case per operation, and one for the stateful phase. */
export interface FuzzSummary {
  operations: number;
  /** Answers with a 5xx status (check not_a_server_error). */
  serverErrors: number;
  /** Answers that do not match the document (check response_schema_conformance). */
  schemaViolations: number;
  /** Operations schemathesis could not test at all (a schema it cannot read, a connection refused). */
  errors: number;
}

/** How schemathesis heads each failure of a check in its reports: `- ST101 Server error`. */
const SERVER_ERROR = /^- (?:ST\d+ )?Server error$/gm;
const SCHEMA_VIOLATION = /^- (?:ST\d+ )?Response violates schema$/gm;

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

/** The summary of the newest JUnit report in `dir` (each run writes its own, named by time). */
export async function summarize(dir: string): Promise<FuzzSummary> {
  const reports = (await readdir(dir)).filter((name) => /^junit-.*\.xml$/.test(name)).sort();
  const newest = reports.at(-1);
  if (newest === undefined) throw new Error(`schemathesis wrote no JUnit report to ${dir}`);
  const xml = await readFile(join(dir, newest), 'utf8');
  const failures = [...xml.matchAll(/<failure\b[^>]*>([\s\S]*?)<\/failure>/g)].map((match) => match[1] ?? '').join('\n');
  return {
    operations: count(xml, /<testcase name="(?:GET|POST|PUT|PATCH|DELETE) /g),
    serverErrors: count(failures, SERVER_ERROR),
    schemaViolations: count(failures, SCHEMA_VIOLATION),
    errors: count(xml, /<error\b/g),
  };
}
