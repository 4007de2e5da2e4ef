import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableDictionary, type ResolvedTable } from '../../src/dictionary/dictionary.js';
import type { Collection, DocumentStore, Filter } from '@lockstep/store';
import { storeAdapters } from '../store/adapters.js';
import { EncodedQueryError, parseEncodedQuery, type EncodedQueryFinding } from '../../src/table/encoded-query.js';

const dictionary = new TableDictionary([
  {
    name: 'incident',
    label: 'Incident',
    roles: { read: ['itil'], write: ['itil'] },
    fields: [
      { name: 'short_description', label: 'Short description', type: 'string' },
      { name: 'reassignment_count', label: 'Reassignment count', type: 'integer' },
      { name: 'active', label: 'Active', type: 'boolean' },
      {
        name: 'priority',
        label: 'Priority',
        type: 'choice',
        choices: [
          { value: '1', label: '1 - Critical' },
          { value: '2', label: '2 - High' },
        ],
      },
      { name: 'caller_id', label: 'Caller', type: 'reference', reference: 'sys_user' },
      { name: 'opened_at', label: 'Opened', type: 'date_time' },
      { name: 'comments', label: 'Additional comments', type: 'journal' },
    ],
  },
]);
const incident = dictionary.get('incident') as ResolvedTable;

const filterOf = (query: string): Filter => parseEncodedQuery(query, incident).filter;

function findingsOf(query: string): EncodedQueryFinding[] {
  try {
    parseEncodedQuery(query, incident);
  } catch (error) {
    if (error instanceof EncodedQueryError) return error.findings;
    throw error;
  }
  throw new Error(`expected "${query}" to be rejected`);
}

const messageOf = (query: string): string | undefined => findingsOf(query)[0]?.message;

const isEmpty = (field: string): Filter => ({ $or: [{ [field]: { $exists: false } }, { [field]: { $in: [null, ''] } }] });

describe('parseEncodedQuery: operators', () => {
  it('reads an empty query as no filter and no sort', () => {
    expect(parseEncodedQuery('', incident)).toEqual({ filter: {}, sort: {} });
  });

  it('reads = as equality, keeping everything after the operator as the value', () => {
    expect(filterOf('short_description=a=b c')).toEqual({ short_description: 'a=b c' });
  });

  it('reads != as $ne, which also matches records without the field', () => {
    expect(filterOf('short_description!=Printer')).toEqual({ short_description: { $ne: 'Printer' } });
  });

  it('reads IN and NOT IN as comma lists coerced to the field type', () => {
    expect(filterOf('priorityIN1,2')).toEqual({ priority: { $in: ['1', '2'] } });
    expect(filterOf('reassignment_countNOT IN0,3')).toEqual({ reassignment_count: { $nin: [0, 3] } });
  });

  it('reads STARTSWITH, ENDSWITH, CONTAINS and LIKE as case-insensitive regexes of the literal value', () => {
    expect(filterOf('short_descriptionSTARTSWITHv1.2 (beta)')).toEqual({ short_description: { $regex: /^v1\.2 \(beta\)/i } });
    expect(filterOf('short_descriptionENDSWITH$5*')).toEqual({ short_description: { $regex: /\$5\*$/i } });
    expect(filterOf('short_descriptionCONTAINSa|b')).toEqual({ short_description: { $regex: /a\|b/i } });
    expect(filterOf('short_descriptionLIKE[x]')).toEqual({ short_description: { $regex: /\[x\]/i } });
  });

  it('reads DOES NOT CONTAIN and NOT LIKE as none of the field matching', () => {
    const expected = { $nor: [{ short_description: { $regex: /fire\?/i } }] };
    expect(filterOf('short_descriptionDOES NOT CONTAINfire?')).toEqual(expected);
    expect(filterOf('short_descriptionNOT LIKEfire?')).toEqual(expected);
  });

  it('reads ISEMPTY as missing, null or empty and ISNOTEMPTY as its negation', () => {
    expect(filterOf('short_descriptionISEMPTY')).toEqual(isEmpty('short_description'));
    expect(filterOf('short_descriptionISNOTEMPTY')).toEqual({ short_description: { $exists: true, $nin: [null, ''] } });
  });

  it('counts a journal without entries as empty', () => {
    expect(filterOf('commentsISEMPTY')).toEqual({
      $or: [{ comments: { $exists: false } }, { comments: { $in: [null, ''] } }, { comments: [] }],
    });
    expect(filterOf('commentsISNOTEMPTY')).toEqual({ comments: { $exists: true, $nin: [null, '', []] } });
  });

  it('reads = and != without a value as ISEMPTY and ISNOTEMPTY, as the original does', () => {
    expect(filterOf('caller_id=')).toEqual(isEmpty('caller_id'));
    expect(filterOf('caller_id!=')).toEqual({ caller_id: { $exists: true, $nin: [null, ''] } });
  });

  it('reads >, <, >= and <=, putting two bounds on one field into one condition', () => {
    expect(filterOf('reassignment_count>1^opened_at<2024-01-01')).toEqual({
      reassignment_count: { $gt: 1 },
      opened_at: { $lt: '2024-01-01 00:00:00' },
    });
    expect(filterOf('reassignment_count>=1^reassignment_count<=3')).toEqual({ reassignment_count: { $gte: 1, $lte: 3 } });
  });

  it('queries system fields like any other', () => {
    expect(filterOf('sys_mod_count>2^sys_created_on>=2024-05-01^sys_class_name=incident')).toEqual({
      sys_mod_count: { $gt: 2 },
      sys_created_on: { $gte: '2024-05-01 00:00:00' },
      sys_class_name: 'incident',
    });
  });
});

describe('parseEncodedQuery: AND, ^OR and ^NQ', () => {
  it('ANDs terms into one object', () => {
    expect(filterOf('active=true^priority=1')).toEqual({ active: true, priority: '1' });
  });

  it('binds ^OR to the term before it only', () => {
    expect(filterOf('active=true^priority=1^ORpriority=2')).toEqual({ active: true, $or: [{ priority: '1' }, { priority: '2' }] });
    expect(filterOf('priority=1^ORpriority=2^active=true')).toEqual({ $or: [{ priority: '1' }, { priority: '2' }], active: true });
  });

  it('keeps one flat $or for a chain of ^OR terms, even through ISEMPTY', () => {
    expect(filterOf('priority=1^ORpriority=2^ORcaller_idISEMPTY')).toEqual({
      $or: [{ priority: '1' }, { priority: '2' }, { caller_id: { $exists: false } }, { caller_id: { $in: [null, ''] } }],
    });
  });

  it('falls back to $and when two OR groups, or two conditions on one field, clash', () => {
    expect(filterOf('priority=1^ORpriority=2^active=true^ORreassignment_count=0')).toEqual({
      $or: [{ priority: '1' }, { priority: '2' }],
      $and: [{ $or: [{ active: true }, { reassignment_count: 0 }] }],
    });
    expect(filterOf('short_descriptionCONTAINSa^short_descriptionCONTAINSb')).toEqual({
      short_description: { $regex: /a/i },
      $and: [{ short_description: { $regex: /b/i } }],
    });
  });

  it('ORs ^NQ queries with everything before them', () => {
    expect(filterOf('active=true^NQpriority=1')).toEqual({ $or: [{ active: true }, { priority: '1' }] });
    expect(filterOf('active=true^priority=1^NQpriority=2^ORreassignment_count=0')).toEqual({
      $or: [{ active: true, priority: '1' }, { priority: '2' }, { reassignment_count: 0 }],
    });
  });

  it('ignores the ^EQ the original appends to list queries', () => {
    expect(filterOf('active=true^EQ')).toEqual({ active: true });
  });
});

describe('parseEncodedQuery: ORDERBY', () => {
  it('adds sort keys in the order written, wherever they appear', () => {
    const { filter, sort } = parseEncodedQuery('ORDERBYpriority^active=true^ORDERBYDESCsys_updated_on', incident);
    expect(filter).toEqual({ active: true });
    expect(Object.entries(sort)).toEqual([
      ['priority', 1],
      ['sys_updated_on', -1],
    ]);
  });
});

describe('parseEncodedQuery: values by field type', () => {
  it('reads integers as numbers', () => {
    expect(filterOf('reassignment_count=-2')).toEqual({ reassignment_count: -2 });
    expect(filterOf('reassignment_count<2.5')).toEqual({ reassignment_count: { $lt: 2.5 } });
  });

  it('reads booleans from true, false, 1 and 0', () => {
    expect(filterOf('activeINtrue,false,1,0')).toEqual({ active: { $in: [true, false, true, false] } });
  });

  it('keeps choice values as strings, even undeclared ones', () => {
    expect(filterOf('priority=9')).toEqual({ priority: '9' });
  });

  it('normalises date-times to the stored UTC form', () => {
    expect(filterOf('opened_at=2024-03-01 10:11:12')).toEqual({ opened_at: '2024-03-01 10:11:12' });
    expect(filterOf('opened_at>=2024-03-01')).toEqual({ opened_at: { $gte: '2024-03-01 00:00:00' } });
    expect(filterOf('opened_at<2024-03-01T10:11:12+02:00')).toEqual({ opened_at: { $lt: '2024-03-01 08:11:12' } });
    expect(filterOf('opened_at>2024-03-01T23:30:00.500Z')).toEqual({ opened_at: { $gt: '2024-03-01 23:30:00' } });
  });

  it('lets text operators match the stored text of a date-time', () => {
    expect(filterOf('opened_atSTARTSWITH2024-03')).toEqual({ opened_at: { $regex: /^2024-03/i } });
  });
});

describe('parseEncodedQuery: errors', () => {
  it('reports every bad term, in order, in one EncodedQueryError', () => {
    const query = 'foo=1^active=yes^priority=1^comments=hello';
    expect(() => parseEncodedQuery(query, incident)).toThrow(EncodedQueryError);
    expect(findingsOf(query)).toEqual([
      { term: 'foo=1', message: 'unknown field "foo" on table incident' },
      { term: 'active=yes', message: '"yes" is not a boolean; active takes true or false (or 1 or 0)' },
      { term: 'comments=hello', message: 'journal field "comments" can only be queried with ISEMPTY or ISNOTEMPTY' },
    ]);
  });

  it('names every finding in the error message', () => {
    expect(() => parseEncodedQuery('foo=1^^', incident)).toThrow(
      'sysparm_query is invalid: foo=1: unknown field "foo" on table incident; (empty term): term 2 is empty; remove the doubled or trailing "^"; (empty term): term 3 is empty; remove the doubled or trailing "^"',
    );
  });

  it('rejects empty terms', () => {
    expect(findingsOf('active=true^^priority=1')).toEqual([{ term: '', message: 'term 2 is empty; remove the doubled or trailing "^"' }]);
    expect(messageOf('active=true^')).toBe('term 2 is empty; remove the doubled or trailing "^"');
  });

  it('rejects unsupported operators, saying what to use instead', () => {
    expect(messageOf('reassignment_countBETWEEN1@3')).toBe('operator "BETWEEN" is not supported; use >= and <=');
    expect(messageOf('sys_class_nameINSTANCEOFtask')).toBe(
      `operator "INSTANCEOF" is not supported; query that table instead: a table's records include its children's`,
    );
    expect(messageOf('priority~1')).toBe(
      'operator "~" is not supported; use one of =, !=, IN, NOT IN, STARTSWITH, ENDSWITH, CONTAINS, LIKE, DOES NOT CONTAIN, NOT LIKE, ISEMPTY, ISNOTEMPTY, >, <, >=, <=',
    );
    expect(messageOf('priorityFOO1')).toMatch(/^operator "FOO" is not supported; use one of =/);
  });

  it('rejects a term without a field name or without an operator', () => {
    expect(messageOf('Priority=1')).toBe('a condition starts with a field name in lower case, e.g. active=true');
    expect(messageOf('active')).toBe('field "active" has no operator; write e.g. active=value or activeISNOTEMPTY');
  });

  it('rejects dot-walking', () => {
    expect(messageOf('caller_id.name=Bob')).toBe('dot-walking ("caller_id.name") is not supported; query caller_id by sys_id instead');
  });

  it('rejects values the field type cannot hold', () => {
    expect(messageOf('reassignment_count=abc')).toBe('"abc" is not a number; reassignment_count is an integer field');
    expect(messageOf('reassignment_countIN1,x')).toBe('"x" is not a number; reassignment_count is an integer field');
    const notADate = 'opened_at takes YYYY-MM-DD HH:mm:ss (UTC), YYYY-MM-DD or ISO 8601 with an offset (send + as %2B)';
    expect(messageOf('opened_at>2024-02-30')).toBe(`"2024-02-30" is not a date; ${notADate}`);
    expect(messageOf('opened_at>yesterday')).toBe(`"yesterday" is not a date; ${notADate}`);
  });

  it('rejects operators that do not fit the field type', () => {
    expect(messageOf('comments=hello')).toBe('journal field "comments" can only be queried with ISEMPTY or ISNOTEMPTY');
    expect(messageOf('commentsCONTAINShello')).toBe('journal field "comments" can only be queried with ISEMPTY or ISNOTEMPTY');
    expect(messageOf('reassignment_countCONTAINS1')).toBe(
      'operator "CONTAINS" does not apply to integer field "reassignment_count"; use =, IN, >, <, >= or <=',
    );
    expect(messageOf('active>false')).toBe('operator ">" does not apply to boolean field "active"; use = or !=');
  });

  it('rejects a value on ISEMPTY and a missing value elsewhere', () => {
    expect(messageOf('short_descriptionISEMPTYx')).toBe('ISEMPTY takes no value; remove "x"');
    expect(messageOf('short_descriptionCONTAINS')).toBe('CONTAINS needs a value after it');
  });

  it('rejects scripted values', () => {
    expect(messageOf('caller_id=javascript:gs.getUserID()')).toBe(
      'scripted values ("javascript:...") are not supported; pass the value itself',
    );
  });

  it('rejects ^OR and ^NQ with nothing before or after them', () => {
    expect(messageOf('ORactive=true')).toBe('"OR" joins a condition to the one before it, and there is none; remove "OR"');
    expect(messageOf('ORDERBYpriority^NQactive=true')).toBe(
      '"NQ" starts a query OR-ed with the conditions before it, and there are none; remove "NQ"',
    );
    expect(messageOf('active=true^OR')).toBe('"OR" must be followed by a condition, e.g. ORactive=true');
  });

  it('does not blame ^OR for a bad term before it', () => {
    expect(findingsOf('foo=1^ORactive=true')).toEqual([{ term: 'foo=1', message: 'unknown field "foo" on table incident' }]);
  });

  it('rejects bad ORDERBY terms', () => {
    expect(messageOf('ORDERBY')).toBe('ORDERBY needs a field name, e.g. ORDERBYnumber or ORDERBYDESCsys_updated_on');
    expect(messageOf('ORDERBYDESCnumber')).toBe('unknown field "number" on table incident');
    expect(messageOf('ORDERBYcomments')).toBe('journal field "comments" cannot be sorted on');
    expect(messageOf('ORDERBYpriority^ORDERBYDESCpriority')).toBe('"priority" is already in the sort order; keep one of its ORDERBY terms');
  });
});

/** The filters the parser builds, run on each real store adapter: what a user of the Table API gets. */
describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('encoded queries on the %s store', (_name, adapter) => {
  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'match', () => {
    const records = [
      { _id: 'missing', reassignment_count: 0 },
      { _id: 'null', short_description: null, comments: null, reassignment_count: 1 },
      { _id: 'blank', short_description: '', comments: [], reassignment_count: 2 },
      {
        _id: 'printer',
        short_description: 'Printer on FIRE',
        comments: [{ value: 'smoke', created_by: 'beth', created_on: '2024-03-01 10:00:00' }],
        reassignment_count: 3,
      },
      { _id: 'mail', short_description: 'Mail is slow', reassignment_count: 4 },
      { _id: 'dotted', short_description: 'v1.2 (beta)', reassignment_count: 5 },
    ];

    let store: DocumentStore;
    let collection: Collection;
    beforeAll(async () => {
      store = await adapter.open();
      collection = store.collection('incident_query');
      await collection.insertMany(records);
    });
    afterAll(async () => {
      await store.close();
      await adapter.dispose();
    });

    async function idsMatching(query: string): Promise<string[]> {
      const { filter, sort } = parseEncodedQuery(query, incident);
      return (await collection.find(filter, { sort: { ...sort, _id: 1 } })).map((record) => record._id);
    }

    it('treats missing, null and empty text as empty', async () => {
      expect(await idsMatching('short_descriptionISEMPTY')).toEqual(['blank', 'missing', 'null']);
      expect(await idsMatching('short_descriptionISNOTEMPTY')).toEqual(['dotted', 'mail', 'printer']);
      expect(await idsMatching('short_description=')).toEqual(['blank', 'missing', 'null']);
    });

    it('treats a journal without entries as empty', async () => {
      expect(await idsMatching('commentsISEMPTY')).toEqual(['blank', 'dotted', 'mail', 'missing', 'null']);
      expect(await idsMatching('commentsISNOTEMPTY')).toEqual(['printer']);
    });

    it('lets != and NOT IN match records without the field', async () => {
      expect(await idsMatching('short_description!=Mail is slow')).toEqual(['blank', 'dotted', 'missing', 'null', 'printer']);
      expect(await idsMatching('short_descriptionNOT INMail is slow,Printer on FIRE')).toEqual(['blank', 'dotted', 'missing', 'null']);
    });

    it('matches text operators case-insensitively and literally', async () => {
      expect(await idsMatching('short_descriptionCONTAINSfire')).toEqual(['printer']);
      expect(await idsMatching('short_descriptionLIKEFiRe')).toEqual(['printer']);
      expect(await idsMatching('short_descriptionSTARTSWITHprinter')).toEqual(['printer']);
      expect(await idsMatching('short_descriptionENDSWITHSLOW')).toEqual(['mail']);
      expect(await idsMatching('short_descriptionCONTAINS1.2 (')).toEqual(['dotted']);
      expect(await idsMatching('short_descriptionCONTAINS.')).toEqual(['dotted']);
    });

    it('lets DOES NOT CONTAIN match empty fields and other text', async () => {
      expect(await idsMatching('short_descriptionDOES NOT CONTAINfire')).toEqual(['blank', 'dotted', 'mail', 'missing', 'null']);
    });

    it('applies merged bounds, OR groups, $and fallbacks, ^NQ and ORDERBYDESC', async () => {
      expect(await idsMatching('reassignment_count>=1^reassignment_count<=3')).toEqual(['blank', 'null', 'printer']);
      expect(
        await idsMatching('short_descriptionISEMPTY^ORshort_descriptionCONTAINSslow^reassignment_count>0^ORcommentsISNOTEMPTY'),
      ).toEqual(['blank', 'mail', 'null']);
      expect(await idsMatching('reassignment_count=0^NQshort_descriptionCONTAINSfire^ORDERBYDESCreassignment_count')).toEqual([
        'printer',
        'missing',
      ]);
    });
  });
});
