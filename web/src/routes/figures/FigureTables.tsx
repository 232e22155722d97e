// The figures as small tables (the charts' numbers, readable by screen readers and copyable).
import { clauseRef } from '../../lib/format';
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { SystemName } from '../../components/Names';
import { useLang } from '../../hooks/useLang';
import type { DurationFigure, LevelFigure, ObligationFigure } from '../history/api';
import { formatSpan } from '../history/format';

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);

export function DurationTable({ cells, testId }: { cells: DurationFigure[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <Table<DurationFigure>
      size="small"
      data-testid={testId}
      rowKey={(c) => `${c.month}|${c.system ?? ''}`}
      dataSource={cells}
      pagination={{ pageSize: 12, hideOnSinglePage: true, showSizeChanger: false, size: 'small' }}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('figures.table.month'), dataIndex: 'month' },
        { title: t('figures.table.system'), key: 'system', render: (_, c) => (c.system ? <SystemName id={c.system} /> : t('figures.allSystems')) },
        { title: t('figures.table.count'), dataIndex: 'count', align: 'right' },
        { title: t('figures.table.median'), key: 'median', align: 'right', render: (_, c) => formatSpan(c.medianMs, t) },
        { title: t('figures.table.p90'), key: 'p90', align: 'right', render: (_, c) => formatSpan(c.p90Ms, t) },
        { title: t('figures.table.excluded'), dataIndex: 'excluded', align: 'right' },
      ]}
    />
  );
}

export function OnTimeTable({ rows }: { rows: ObligationFigure[] }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  return (
    <Table<ObligationFigure>
      size="small"
      data-testid="figures-ontime-table"
      rowKey="rule"
      dataSource={rows}
      pagination={false}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('figures.table.rule'), dataIndex: 'rule', render: (rule: string) => clauseRef(rule) },
        { title: t('figures.table.action'), key: 'action', render: (_, r) => pick(r.action) },
        { title: t('figures.table.onTime'), dataIndex: 'onTime', align: 'right' },
        { title: t('figures.table.late'), dataIndex: 'late', align: 'right' },
        { title: t('figures.table.missed'), dataIndex: 'missed', align: 'right' },
        { title: t('figures.table.pending'), dataIndex: 'pending', align: 'right' },
        { title: t('figures.table.share'), key: 'share', align: 'right', render: (_, r) => percent(r.share) },
      ]}
    />
  );
}

export function PerLevelTable({ rows }: { rows: LevelFigure[] }) {
  const { t } = useTranslation();
  return (
    <Table<LevelFigure>
      size="small"
      data-testid="figures-level-table"
      rowKey="month"
      dataSource={rows}
      pagination={{ pageSize: 12, hideOnSinglePage: true, showSizeChanger: false, size: 'small' }}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('figures.table.month'), dataIndex: 'month' },
        ...(['L1', 'L2', 'L3'] as const).map((l) => ({ title: `${t(`level.short.${l}`)} ${l}`, key: l, align: 'right' as const, render: (_: unknown, r: LevelFigure) => r.counts[l] })),
        { title: t('figures.table.total'), dataIndex: 'total', align: 'right' },
      ]}
    />
  );
}
