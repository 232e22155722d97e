// Every system of the plan on one board, in HICS 251 terms, from the open incidents' system states.
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Incident, IncidentSystem } from '../../api/types';
import { Link } from '../../components/Link';
import { HicsTag } from '../../components/SystemStatus';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';
import { HICS_COLOUR, worstHics } from '../../lib/levels';
import { byRealFirst, isDrill } from './drill';

export function SystemBoard({ incidents, wall }: { incidents: Incident[]; wall?: boolean }) {
  const { t } = useTranslation();
  const { plan } = usePlan();
  const { pick } = useLang();
  const rowsBySystem = new Map<string, { row: IncidentSystem; incident: Incident }[]>();
  for (const incident of [...incidents].sort(byRealFirst)) {
    for (const row of incident.systems) {
      const list = rowsBySystem.get(row.system) ?? [];
      list.push({ row, incident });
      rowsBySystem.set(row.system, list);
    }
  }
  const systems = plan?.systems ?? [];
  // systems named by incidents but missing from the plan still appear (at the end)
  const extra = [...rowsBySystem.keys()].filter((id) => !systems.some((s) => s.id === id)).map((id) => ({ id, name: id, category: '' }));

  return (
    <Card title={t('dashboard.systems')} size={wall ? 'medium' : 'small'} data-testid="system-board">
      <div className="system-board">
        {[...systems, ...extra].map((s) => {
          const rows = rowsBySystem.get(s.id) ?? [];
          const hics = worstHics(rows.map((r) => r.row));
          const named = [...new Map(rows.map((r) => [r.incident.id, r])).values()];
          // the wall keeps every tile to two lines: the first incident, and how many more
          const listed = wall ? named.slice(0, 1) : named;
          return (
            <div key={s.id} className="system-tile" style={{ borderLeftColor: HICS_COLOUR[hics] }} data-testid="system-tile" data-system={s.id} data-hics={hics}>
              <Typography.Text strong style={{ fontSize: 'inherit' }} className={wall ? 'tile-name' : undefined}>
                {pick(s.name)}
              </Typography.Text>
              {!wall && (
                <Typography.Text type="secondary" style={{ fontSize: '0.8em' }}>
                  {s.category ? t(`category.${s.category}`, s.category) : ''}
                </Typography.Text>
              )}
              <HicsTag hics={hics} />
              {listed.map(({ incident, row }) => (
                <span key={incident.id} className="tile-incident" title={`${incident.title}${row.component ? ` · ${row.component}` : ''}`}>
                  {isDrill(incident) && `【${t('layouts.drill')}】`}
                  {wall ? incident.title : <Link to={`/incidents/${encodeURIComponent(incident.id)}`}>{incident.title}</Link>}
                  {row.component ? (
                    <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>
                      {' '}
                      · {row.component}
                    </Typography.Text>
                  ) : null}
                </span>
              ))}
              {named.length > listed.length && <span className="tile-incident">{t('layouts.more', { count: named.length - listed.length })}</span>}
            </div>
          );
        })}
        {systems.length === 0 && <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>}
      </div>
    </Card>
  );
}
