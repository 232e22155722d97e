// Every level change with the rule or reason behind it.
import { Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LevelChange } from '../../api/types';
import { LevelBadge } from '../../components/LevelBadge';
import { RuleTag } from '../../components/RuleTag';
import { formatTime } from '../../lib/format';

export function LevelHistory({ history }: { history: LevelChange[] }) {
  const { t } = useTranslation();
  const rows = history.map((r, n) => ({ ...r, key: `${r.at}:${n}` })).sort((a, b) => b.at.localeCompare(a.at));
  return (
    <Card size="small" title={t('incident.levelHistory')} data-testid="level-history">
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
          { title: t('common.actor'), key: 'actor', responsive: ['sm'], render: (_, r) => r.actor ?? t('common.system') },
        ]}
      />
    </Card>
  );
}
