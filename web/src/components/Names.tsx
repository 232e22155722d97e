// Plan ids shown as names in the current language (falls back to the id).
import { useLang } from '../hooks/useLang';
import { usePlan } from '../hooks/usePlan';

export function SystemName({ id, withId }: { id: string; withId?: boolean }) {
  const { system } = usePlan();
  const { pick } = useLang();
  const s = system(id);
  if (!s) return <>{id}</>;
  return <>{withId && pick(s.name) !== id ? `${id} ${pick(s.name)}` : pick(s.name)}</>;
}

export function RoleName({ id }: { id: string }) {
  const { role } = usePlan();
  const { pick } = useLang();
  const r = role(id);
  return <>{r ? pick(r.name) : id}</>;
}
