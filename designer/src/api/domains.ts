import { domainEntrySchema, resultOf, type DomainEntry } from '@lockstep/schema';
import { z } from 'zod';
import { ApiProblem, request } from './client';

/** One domain the user may work in, as `GET /domains` lists them: in tree order, `depth` counted from the user's own. */
export type DomainView = DomainEntry;

const domainList = resultOf(z.array(domainEntrySchema));

export const domainApi = {
  /**
   * The user's domain tree, listed from its own domain whatever the tab
   * picked, so the picker can always widen back. Null for a user who may
   * not list domains (403) and on a runtime without the list (404): the
   * picker is then not shown.
   */
  list: async (): Promise<DomainView[] | null> => {
    try {
      return (await request(domainList, '/lockstep/v1/domains')).body.result;
    } catch (error) {
      if (error instanceof ApiProblem && (error.status === 403 || error.status === 404)) return null;
      throw error;
    }
  },
};
