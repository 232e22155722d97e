// Every level change with the rule or reason behind it, and who made it (worded: 系统 for the platform's own rules).
// Cards on a phone.
import { Card, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LevelChange } from '../../api/types';
import { LevelBadge } from '../../components/LevelBadge';
import { RuleTag } from '../../components/RuleTag';
import { useIsPhone } from '../../hooks/useIsPhone';
import { useTimelineText } from '../../hooks/useTimelineText';
import { formatTime } from '../../lib/format';

export function LevelHistory({ history }: { history: LevelChange[] }) {
  const { t } = useTranslation();
  const tl = useTimelineText();
  const phone = useIsPhone();
  const rows = history.map((r, n) => ({ ...r, key: `${r.at}:${n}` })).sort((a, b) => b.at.localeCompare(a.at));
  const actor = (a: string | null | undefined) => (!a || a === 'system' ? t('common.system') : tl.actor(a));
  return (
    <Card size="small" title={t('incident.levelHistory')} data-testid="level-history">
      {phone ? (
        rows.length === 0 ? (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        ) : (
          rows.map((r) => (
            <div key={r.key} className="phone-card" data-testid="level-history-row">
              <div className="phone-card-line">
                <LevelBadge level={r.level} provisional={r.provisional} size="small" />
                <RuleTag rule={r.rule} />
                <span className="tabular">{formatTime(r.at)}</span>
              </div>
              {r.reason && <div>{r.reason}</div>}
              <Typography.Text type="secondary" data-testid="level-history-actor">
                {actor(r.actor)}
              </Typography.Text>
            </div>
          ))
        )
      ) : (
        <Table<LevelChange & { key: string }>
          size="small"
          rowKey="key"
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('common.none') }}
          columns={[
            { title: t('common.time'), key: 'at', render: (_, r) => <span className="tabular">{formatTime(r.at)}</span> },
            { title: t('incident.level'), key: 'level', render: (_, r) => <LevelBadge level={r.level} provisional={r.provisional} size="small" /> },
            { title: t('incident.rule'), key: 'rule', render: (_, r) => <RuleTag rule={r.rule} /> },
            { title: t('incident.reason'), key: 'reason', render: (_, r) => r.reason ?? '—' },
            { title: t('common.actor'), key: 'actor', render: (_, r) => <span data-testid="level-history-actor">{actor(r.actor)}</span> },
          ]}
          onRow={() => ({ 'data-testid': 'level-history-row' }) as React.HTMLAttributes<HTMLElement>}
        />
      )}
    </Card>
  );
}
