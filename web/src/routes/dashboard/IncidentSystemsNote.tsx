// Beside an incident title (the sender's own words), the plan names of its systems in the UI language, unless the
// title already says them.
import { Typography } from 'antd';
import type { Incident } from '../../api/types';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';

export function IncidentSystemsNote({ incident }: { incident: Pick<Incident, 'title' | 'systems'> }) {
  const { system } = usePlan();
  const { pick } = useLang();
  const names = [...new Set(incident.systems.map((s) => (system(s.system) ? pick(system(s.system)!.name) : s.system)))].filter((name) => name && !incident.title.includes(name));
  if (names.length === 0) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: '0.85em' }} data-testid="incident-title-systems">
      {' '}
      · {names.join('、')}
    </Typography.Text>
  );
}
