// Who is on duty now (GET /oncall/now). When it cannot be read (no oncall.read, or an error), every key role shows "—".
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { OnDutyEntry } from '../../api/types';
import { RoleName } from '../../components/Names';
import { SimpleList } from '../../components/SimpleList';
import { useLang } from '../../hooks/useLang';
import { useResource } from '../../hooks/useResource';
import { formatTime } from '../../lib/format';
import { PageDots, pageOf, type Rotate } from '../wall/rotation';

const KEY_ROLES = ['commander', 'deputy_commander', 'tech_lead', 'tech_oncall', 'monitoring_post'];

/** Someone on duty, or a key role as a placeholder while nobody can be shown. */
type Row = Pick<OnDutyEntry, 'role'> & Partial<Pick<OnDutyEntry, 'roleName' | 'person' | 'until'>>;

async function fetchOnDuty(): Promise<OnDutyEntry[] | null> {
  try {
    return (await api.onDuty()).items;
  } catch {
    return null; // not there yet, or not allowed
  }
}

function personName(e: Row): string {
  return e.person?.name ?? '—';
}

export function OnDuty({ wall, rotate }: { wall?: boolean; rotate?: Rotate }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { data } = useResource(fetchOnDuty, []);
  const rows: Row[] = data && data.length > 0 ? data : KEY_ROLES.map((role) => ({ role }));
  const { shown, page, pages } = pageOf(rows, rotate);
  return (
    <Card title={t('dashboard.onDuty')} size={wall ? 'medium' : 'small'} data-testid="on-duty" extra={<PageDots page={page} pages={pages} />}>
      <SimpleList
        items={shown}
        itemKey={(e, n) => `${e.role ?? ''}:${n}`}
        itemTestId="on-duty-row"
        itemProps={(e) => ({ 'data-role': e.role })}
        itemStyle={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}
        render={(e) => (
          <>
            <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>
              {e.roleName ? pick(e.roleName) : e.role ? <RoleName id={e.role} /> : '—'}
            </Typography.Text>
            <span>
              <Typography.Text strong style={{ fontSize: 'inherit' }}>
                {personName(e)}
              </Typography.Text>
              {e.until && (
                <Typography.Text type="secondary" style={{ fontSize: '0.8em' }}>
                  {' '}
                  · {t('dashboard.until', { time: formatTime(e.until) })}
                </Typography.Text>
              )}
            </span>
          </>
        )}
      />
    </Card>
  );
}
