import type { ConditionGroup, ConditionOperator, ConditionRule } from '@lockstep/schema';
import { describe, expect, it } from 'vitest';
import { conditionFindings, describeCondition, evaluateCondition } from '../src/index.js';

const record = {
  state: '2',
  priority: 1,
  active: true,
  short_description: 'Email is DOWN for Finance',
  assigned_to: '',
  tags: ['mail', 'outage'],
  opened_at: '2024-03-01 10:00:00',
  inputs: { payload: { impact: '3' } },
};

function rule(field: string, operator: ConditionOperator, value?: unknown): ConditionRule {
  return value === undefined ? { field, operator } : { field, operator, value };
}

function holds(condition: ConditionRule, current: object = record, previous?: object): boolean {
  return evaluateCondition({ match: 'all', conditions: [condition] }, current, previous);
}

describe('is and is_not', () => {
  it('compare text and numbers loosely', () => {
    expect(holds(rule('state', 'is', 2))).toBe(true);
    expect(holds(rule('state', 'is', '2'))).toBe(true);
    expect(holds(rule('priority', 'is', '1'))).toBe(true);
    expect(holds(rule('priority', 'is', '1.0'))).toBe(true);
    expect(holds(rule('state', 'is', 3))).toBe(false);
    expect(holds(rule('state', 'is_not', 3))).toBe(true);
    expect(holds(rule('state', 'is_not', '2'))).toBe(false);
  });

  it('compare booleans with their text', () => {
    expect(holds(rule('active', 'is', 'true'))).toBe(true);
    expect(holds(rule('active', 'is', 'false'))).toBe(false);
    expect(holds(rule('active', 'is', true))).toBe(true);
    expect(holds(rule('active', 'is', 'yes'))).toBe(false);
  });

  it('compare two texts exactly', () => {
    expect(holds(rule('short_description', 'is', 'email is down for finance'))).toBe(false);
    expect(holds(rule('short_description', 'is', 'Email is DOWN for Finance'))).toBe(true);
  });

  it('treat a missing field as empty', () => {
    expect(holds(rule('nothing', 'is', ''))).toBe(true);
    expect(holds(rule('assigned_to', 'is', null))).toBe(true);
    expect(holds(rule('nothing', 'is', 0))).toBe(false);
    expect(holds(rule('nothing', 'is_not', 'x'))).toBe(true);
  });

  it('follow dot paths', () => {
    expect(holds(rule('inputs.payload.impact', 'is', 3))).toBe(true);
    expect(holds(rule('inputs.payload.impact.deeper', 'is_empty'))).toBe(true);
    expect(holds(rule('state.constructor', 'is_empty'))).toBe(true);
  });
});

describe('in and not_in', () => {
  it('take a list', () => {
    expect(holds(rule('state', 'in', [1, 2]))).toBe(true);
    expect(holds(rule('state', 'in', ['3', '4']))).toBe(false);
    expect(holds(rule('state', 'not_in', [3, 4]))).toBe(true);
  });

  it('take comma-separated text', () => {
    expect(holds(rule('priority', 'in', '1, 2,3'))).toBe(true);
    expect(holds(rule('priority', 'not_in', '1,2'))).toBe(false);
    expect(holds(rule('priority', 'in', '4,5'))).toBe(false);
  });
});

describe('text operators', () => {
  it('ignore case', () => {
    expect(holds(rule('short_description', 'contains', 'email is down'))).toBe(true);
    expect(holds(rule('short_description', 'does_not_contain', 'printer'))).toBe(true);
    expect(holds(rule('short_description', 'does_not_contain', 'FINANCE'))).toBe(false);
    expect(holds(rule('short_description', 'starts_with', 'EMAIL'))).toBe(true);
    expect(holds(rule('short_description', 'starts_with', 'Finance'))).toBe(false);
    expect(holds(rule('short_description', 'ends_with', 'finance'))).toBe(true);
    expect(holds(rule('short_description', 'ends_with', 'email'))).toBe(false);
  });

  it('read numbers as text', () => {
    expect(holds(rule('priority', 'contains', '1'))).toBe(true);
  });

  it('find an item in a list field', () => {
    expect(holds(rule('tags', 'contains', 'mail'))).toBe(true);
    expect(holds(rule('tags', 'contains', 'mai'))).toBe(false);
    expect(holds(rule('tags', 'does_not_contain', 'network'))).toBe(true);
  });

  it('find nothing in an empty field', () => {
    expect(holds(rule('assigned_to', 'contains', 'a'))).toBe(false);
    expect(holds(rule('nothing', 'starts_with', 'a'))).toBe(false);
    expect(holds(rule('nothing', 'does_not_contain', 'a'))).toBe(true);
  });
});

describe('ordering operators', () => {
  it('compare numerically when both sides are numbers', () => {
    expect(holds(rule('state', 'greater_than', 10))).toBe(false);
    expect(holds(rule('state', 'less_than', '10'))).toBe(true);
    expect(holds(rule('state', 'greater_or_equal', 2))).toBe(true);
    expect(holds(rule('state', 'less_or_equal', '2'))).toBe(true);
    expect(holds(rule('state', 'greater_than', 2))).toBe(false);
    expect(holds(rule('state', 'less_than', 2))).toBe(false);
  });

  it('compare as text otherwise, which orders dates', () => {
    expect(holds(rule('opened_at', 'greater_than', '2024-02-28 23:59:59'))).toBe(true);
    expect(holds(rule('opened_at', 'less_than', '2024-02-28 23:59:59'))).toBe(false);
    expect(holds(rule('short_description', 'greater_than', 'Apple'))).toBe(true);
  });

  it('never hold for an empty field', () => {
    for (const operator of ['greater_than', 'greater_or_equal', 'less_than', 'less_or_equal'] as const) {
      expect(holds(rule('nothing', operator, 1))).toBe(false);
      expect(holds(rule('assigned_to', operator, ''))).toBe(false);
    }
  });
});

describe('is_empty and is_not_empty', () => {
  it('count undefined, null, empty text and empty lists as empty', () => {
    const current = { none: null, blank: '', list: [], zero: 0, off: false, space: ' ' };
    for (const field of ['missing', 'none', 'blank', 'list']) {
      expect(holds(rule(field, 'is_empty'), current)).toBe(true);
      expect(holds(rule(field, 'is_not_empty'), current)).toBe(false);
    }
    for (const field of ['zero', 'off', 'space']) {
      expect(holds(rule(field, 'is_empty'), current)).toBe(false);
      expect(holds(rule(field, 'is_not_empty'), current)).toBe(true);
    }
  });
});

describe('changes operators', () => {
  const before = { state: '1', priority: 1 };
  const after = { state: '2', priority: '1' };

  it('changes holds when the value differs from before', () => {
    expect(holds(rule('state', 'changes'), after, before)).toBe(true);
    expect(holds(rule('priority', 'changes'), after, before)).toBe(false);
    expect(holds(rule('missing', 'changes'), after, before)).toBe(false);
    expect(holds(rule('state', 'changes'), { state: '' }, before)).toBe(true);
  });

  it('changes holds on an insert when the field has a value', () => {
    expect(holds(rule('state', 'changes'), after)).toBe(true);
    expect(holds(rule('missing', 'changes'), after)).toBe(false);
    expect(holds(rule('blank', 'changes'), { blank: '' })).toBe(false);
  });

  it('changes_to holds when it changed and now equals the value', () => {
    expect(holds(rule('state', 'changes_to', 2), after, before)).toBe(true);
    expect(holds(rule('state', 'changes_to', '3'), after, before)).toBe(false);
    expect(holds(rule('priority', 'changes_to', 1), after, before)).toBe(false);
    expect(holds(rule('state', 'changes_to', '2'), after)).toBe(true);
  });

  it('changes_from holds when it changed and was the value before', () => {
    expect(holds(rule('state', 'changes_from', 1), after, before)).toBe(true);
    expect(holds(rule('state', 'changes_from', '2'), after, before)).toBe(false);
    expect(holds(rule('priority', 'changes_from', 1), after, before)).toBe(false);
    expect(holds(rule('state', 'changes_from', '1'), after)).toBe(false);
  });
});

describe('groups', () => {
  it('need every condition for all and one for any', () => {
    const yes = rule('state', 'is', 2);
    const no = rule('state', 'is', 3);
    expect(evaluateCondition({ match: 'all', conditions: [yes, yes] }, record)).toBe(true);
    expect(evaluateCondition({ match: 'all', conditions: [yes, no] }, record)).toBe(false);
    expect(evaluateCondition({ match: 'any', conditions: [no, yes] }, record)).toBe(true);
    expect(evaluateCondition({ match: 'any', conditions: [no, no] }, record)).toBe(false);
  });

  it('hold when empty with all and not with any', () => {
    expect(evaluateCondition({ match: 'all', conditions: [] }, record)).toBe(true);
    expect(evaluateCondition({ match: 'any', conditions: [] }, record)).toBe(false);
  });

  it('nest', () => {
    const condition: ConditionGroup = {
      match: 'all',
      conditions: [
        rule('state', 'is', 2),
        { match: 'any', conditions: [rule('priority', 'is', 3), rule('tags', 'contains', 'outage')] },
      ],
    };
    expect(evaluateCondition(condition, record)).toBe(true);
    expect(evaluateCondition(condition, { ...record, tags: [] })).toBe(false);
  });

  it('pass previous down to nested changes rules', () => {
    const condition: ConditionGroup = { match: 'any', conditions: [{ match: 'all', conditions: [rule('state', 'changes_to', 2)] }] };
    expect(evaluateCondition(condition, { state: '2' }, { state: '1' })).toBe(true);
    expect(evaluateCondition(condition, { state: '2' }, { state: '2' })).toBe(false);
  });
});

describe('describeCondition', () => {
  it('reads as a sentence with nested groups in parentheses', () => {
    const condition: ConditionGroup = {
      match: 'all',
      conditions: [rule('state', 'is', '2'), { match: 'any', conditions: [rule('priority', 'is', 1), rule('priority', 'is', 2)] }],
    };
    expect(describeCondition(condition)).toBe('state is 2 and (priority is 1 or priority is 2)');
  });

  it('words every operator', () => {
    const condition: ConditionGroup = {
      match: 'any',
      conditions: [
        rule('a', 'is_not', 'x'),
        rule('a', 'in', [1, 2]),
        rule('a', 'not_in', '3, 4'),
        rule('a', 'contains', 'email down'),
        rule('a', 'does_not_contain', 'x'),
        rule('a', 'starts_with', 'x'),
        rule('a', 'ends_with', 'x'),
        rule('a', 'greater_than', 1),
        rule('a', 'greater_or_equal', 1),
        rule('a', 'less_than', 1),
        rule('a', 'less_or_equal', 1),
        rule('a', 'is_empty'),
        rule('a', 'is_not_empty'),
        rule('a', 'changes'),
        rule('a', 'changes_to', true),
        rule('a', 'changes_from', ''),
      ],
    };
    expect(describeCondition(condition).split(' or ')).toEqual([
      'a is not x',
      'a is one of 1, 2',
      'a is not one of 3, 4',
      'a contains "email down"',
      'a does not contain x',
      'a starts with x',
      'a ends with x',
      'a is greater than 1',
      'a is at least 1',
      'a is less than 1',
      'a is at most 1',
      'a is empty',
      'a is not empty',
      'a changes',
      'a changes to true',
      'a changes from ""',
    ]);
  });

  it('says what empty groups and missing values mean', () => {
    expect(describeCondition({ match: 'all', conditions: [] })).toBe('always');
    expect(describeCondition({ match: 'any', conditions: [] })).toBe('never');
    expect(describeCondition({ match: 'all', conditions: [rule('a', 'is'), rule('b', 'in', [])] })).toBe('a is (no value) and b is one of (no values)');
  });

  it('leaves a one-rule nested group without parentheses', () => {
    const condition: ConditionGroup = { match: 'all', conditions: [rule('a', 'is', 1), { match: 'any', conditions: [rule('b', 'is', 2)] }] };
    expect(describeCondition(condition)).toBe('a is 1 and b is 2');
  });
});

describe('conditionFindings', () => {
  it('finds nothing in a sound condition', () => {
    const condition: ConditionGroup = {
      match: 'all',
      conditions: [rule('steps.lookup-1.record.state', 'is', 2), rule('state', 'is_empty', 'ignored'), rule('priority', 'in', '1,2')],
    };
    expect(conditionFindings(condition, 'condition')).toEqual([]);
  });

  it('names the rule of a missing value by its position', () => {
    const condition: ConditionGroup = {
      match: 'all',
      conditions: [rule('state', 'is', 2), { match: 'any', conditions: [rule('priority', 'greater_than'), rule('urgency', 'is', ' ')] }],
    };
    expect(conditionFindings(condition, 'condition')).toEqual([
      'condition rule 2.1: "priority" needs a value to compare with',
      'condition rule 2.2: "urgency" needs a value to compare with',
    ]);
  });

  it('finds an empty list', () => {
    const condition: ConditionGroup = { match: 'any', conditions: [rule('state', 'in', []), rule('state', 'not_in', ' , ')] };
    expect(conditionFindings(condition, 'capture filter')).toEqual([
      'capture filter rule 1: "state" is compared with an empty list; list at least one value',
      'capture filter rule 2: "state" is compared with an empty list; list at least one value',
    ]);
  });

  it('finds a field that is not a dot path of names', () => {
    const condition: ConditionGroup = { match: 'all', conditions: [rule('inputs..state', 'is_empty'), rule('1st', 'changes'), rule('a b', 'is')] };
    expect(conditionFindings(condition, 'condition')).toEqual([
      'condition rule 1: "inputs..state" is not a field path; write names joined by dots, like inputs.payload.state',
      'condition rule 2: "1st" is not a field path; write names joined by dots, like inputs.payload.state',
      'condition rule 3: "a b" is not a field path; write names joined by dots, like inputs.payload.state',
      'condition rule 3: "a b" needs a value to compare with',
    ]);
  });
});
