// The active plan (systems, roles, levels, obligations…), fetched once per session and on a full refresh.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { api } from '../api/endpoints';
import type { Plan, PlanRole, PlanSystem } from '../api/types';
import { useResource } from './useResource';

interface PlanValue {
  plan: Plan | undefined;
  system: (id: string) => PlanSystem | undefined;
  /** a role of the plan, or a group (by its id) */
  role: (id: string) => Pick<PlanRole, 'id' | 'name'> | undefined;
}

const PlanContext = createContext<PlanValue>({ plan: undefined, system: () => undefined, role: () => undefined });

export function PlanProvider({ children }: { children: ReactNode }) {
  // Re-fetched on every live refresh is wasteful for a document that rarely changes; live:false, and the
  // plan page re-fetches it itself.
  const { data: plan } = useResource(() => api.plan(), [], { live: false });
  const value = useMemo<PlanValue>(() => {
    const systems = new Map(plan?.systems.map((s) => [s.id, s]));
    const groups = plan?.groups.map((g) => ({ id: g.id, name: g.name })) ?? [];
    const roles = new Map([...groups, ...(plan?.roles ?? [])].map((r) => [r.id, r]));
    return { plan, system: (id) => systems.get(id), role: (id) => roles.get(id) };
  }, [plan]);
  return <PlanContext.Provider value={value}>{children}</PlanContext.Provider>;
}

export function usePlan(): PlanValue {
  return useContext(PlanContext);
}
