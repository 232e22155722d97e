// The downtime catalogue (business lines, departments, forms) fetched once per page load, plus name pickers.
import { useCallback } from 'react';
import { downtimeApi, type BiText, type Catalogue } from '../../api/downtime';
import { useLang } from '../../hooks/useLang';
import { useResource } from '../../hooks/useResource';

let cached: Promise<Catalogue> | undefined;
const load = () =>
  (cached ??= downtimeApi.catalogue().catch((e) => {
    cached = undefined;
    throw e;
  }));

export function useCatalogue() {
  const { data } = useResource(load, [], { live: false });
  const { pick } = useLang();
  const name = useCallback(
    (list: { id?: string; type?: string; name?: BiText; title?: BiText }[] | undefined, id: string) => {
      const x = list?.find((e) => e.id === id || e.type === id);
      return x ? pick(x.name ?? x.title) : id;
    },
    [pick],
  );
  return {
    catalogue: data,
    lineName: (id: string) => name(data?.businessLines, id),
    deptName: (id: string | null | undefined) => (id ? name(data?.departments, id) : '—'),
    formTitle: (type: string) => name(data?.forms, type),
    line: (id: string) => data?.businessLines.find((b) => b.id === id),
  };
}
