import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';

describeOnEachStore('Table API queries', (variant) => {
  let runtime: TestRuntime;

  const fixtures = [
    { short_description: 'Alpha mail outage', priority: '1', category: 'network', reassignment_count: 0 },
    { short_description: 'beta printer', priority: '2', category: 'hardware', reassignment_count: 2 },
    { short_description: 'Gamma MAIL quota', priority: '3', reassignment_count: 5 },
    { short_description: 'delta laptop', priority: '4', category: 'hardware', reassignment_count: 1 },
    { short_description: 'epsilon', priority: '5', category: 'software', reassignment_count: 3 },
  ];

  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
    for (const body of fixtures) {
      expect((await runtime.call('POST', '/api/now/table/incident', { body })).status).toBe(201);
    }
  });
  afterAll(() => runtime.dispose());

  async function descriptions(query: string): Promise<string[]> {
    const response = await runtime.call('GET', `/api/now/table/incident?sysparm_fields=short_description&${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()).result.map((record: { short_description: string }) => record.short_description);
  }

  function parseLinks(header: string): Record<string, URLSearchParams> {
    return Object.fromEntries(
      header.split(',').map((part) => {
        const [, url = '', rel = ''] = /^<([^>]+)>;rel="(\w+)"$/.exec(part.trim()) ?? [];
        return [rel, new URL(url).searchParams];
      }),
    );
  }

  const q = (encoded: string) => `sysparm_query=${encodeURIComponent(encoded)}`;

  describe('sysparm_query', () => {
    it.each([
      ['priority=1', ['Alpha mail outage']],
      ['priority!=1^ORDERBYpriority', ['beta printer', 'Gamma MAIL quota', 'delta laptop', 'epsilon']],
      ['priorityIN1,3^ORDERBYpriority', ['Alpha mail outage', 'Gamma MAIL quota']],
      ['short_descriptionSTARTSWITHgamma', ['Gamma MAIL quota']],
      ['short_descriptionCONTAINSmail^ORDERBYpriority', ['Alpha mail outage', 'Gamma MAIL quota']],
      ['categoryISEMPTY', ['Gamma MAIL quota']],
      ['categoryISNOTEMPTY^ORDERBYDESCpriority', ['epsilon', 'delta laptop', 'beta printer', 'Alpha mail outage']],
      ['reassignment_count>2^ORDERBYreassignment_count', ['epsilon', 'Gamma MAIL quota']],
      ['reassignment_count<2^ORDERBYreassignment_count', ['Alpha mail outage', 'delta laptop']],
      ['category=hardware^priority=4', ['delta laptop']],
      ['category=network^ORcategory=software^ORDERBYpriority', ['Alpha mail outage', 'epsilon']],
      ['category=hardware^priority=2^ORpriority=4^ORDERBYpriority', ['beta printer', 'delta laptop']],
      ['ORDERBYDESCreassignment_count', ['Gamma MAIL quota', 'epsilon', 'beta printer', 'delta laptop', 'Alpha mail outage']],
    ])('%s', async (encoded, expected) => {
      expect(await descriptions(q(encoded))).toEqual(expected);
    });

    it('takes plain field parameters as equality conditions', async () => {
      expect(await descriptions(`category=hardware&${q('ORDERBYpriority')}`)).toEqual(['beta printer', 'delta laptop']);
    });
  });

  describe('paging', () => {
    it('honours sysparm_limit and sysparm_offset and reports the total and the links', async () => {
      const response = await runtime.call('GET', `/api/now/table/incident?${q('ORDERBYpriority')}&sysparm_limit=2&sysparm_offset=2&sysparm_fields=priority`);
      expect((await response.json()).result).toEqual([{ priority: '3' }, { priority: '4' }]);
      expect(response.headers.get('x-total-count')).toBe('5');
      const links = parseLinks(response.headers.get('link') ?? '');
      expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next', 'prev']);
      expect(links.first?.get('sysparm_offset')).toBe('0');
      expect(links.prev?.get('sysparm_offset')).toBe('0');
      expect(links.next?.get('sysparm_offset')).toBe('4');
      expect(links.last?.get('sysparm_offset')).toBe('4');
      expect(links.next?.get('sysparm_limit')).toBe('2');
      expect(links.next?.get('sysparm_query')).toBe('ORDERBYpriority');
    });

    it('has no next link on the last page', async () => {
      const response = await runtime.call('GET', '/api/now/table/incident?sysparm_limit=5');
      expect(response.headers.get('link')).not.toContain('rel="next"');
    });
  });
});
