import { createContext, useContext, type ReactNode } from 'react';
import { domainApi, type DomainView } from '../api/domains';
import { workingDomain, type Session } from '../api/session';
import { useApi } from '../console/use-api';

/** Where the tab works, for the pages that show or choose a domain. */
export interface WorkingDomain {
  /** The domain picked in the top navigation, else the user's own. */
  name: string;
  own: string;
  /** The domains the user may pick, in tree order; null while loading, or where the runtime has no domain list. */
  choices: DomainView[] | null;
}

const WorkingDomainContext = createContext<WorkingDomain>({ name: 'global', own: 'global', choices: null });

export const useWorkingDomain = (): WorkingDomain => useContext(WorkingDomainContext);

/** Loads the user's domain tree once per sign-in and tells every page where the tab works. */
export function WorkingDomainProvider({ session, children }: { session: Session; children: ReactNode }) {
  const { value } = useApi(() => domainApi.list(), session.tokenId);
  return <WorkingDomainContext.Provider value={{ name: workingDomain(session), own: session.domain, choices: value }}>{children}</WorkingDomainContext.Provider>;
}
