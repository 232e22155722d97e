// /figures: how fast the IT centre answers. Time to acknowledge and to restore per month (median and p90), the
// share of each deadline of the plan met on time, incidents per level per month; each chart with its numbers
// as a table. The period is chosen in months (default: the last 12); the scope is all systems or one.
import { clauseRef } from '../../lib/format';
import { Alert, Card, Col, Input, Row, Select, Skeleton, Space, Typography } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../components/EChart';
import { useLang } from '../../hooks/useLang';
import { navigate, useLocation } from '../../hooks/useLocation';
import { usePlan } from '../../hooks/usePlan';
import { useResource } from '../../hooks/useResource';
import { historyApi } from '../history/api';
import { errorText } from '../history/format';
import { durationOption, onTimeOption, perLevelOption } from './charts';
import { DurationTable, OnTimeTable, PerLevelTable } from './FigureTables';

const MONTH = /^\d{4}-\d{2}$/;

/** The last day of a YYYY-MM month, as a date. */
function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

export default function FiguresPage() {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const params = new URLSearchParams(useLocation().split('?')[1] ?? '');
  const fromMonth = MONTH.test(params.get('from') ?? '') ? params.get('from')! : '';
  const toMonth = MONTH.test(params.get('to') ?? '') ? params.get('to')! : '';
  const system = params.get('system') ?? '';
  const { data, error, loading } = useResource(
    () => historyApi.figures({ from: fromMonth ? `${fromMonth}-01` : undefined, to: toMonth ? monthEnd(toMonth) : undefined, system: system || undefined }),
    [fromMonth, toMonth, system],
    { live: false },
  );
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams({ ...(fromMonth && { from: fromMonth }), ...(toMonth && { to: toMonth }), ...(system && { system }), ...patch });
    for (const [k, v] of [...next]) if (!v) next.delete(k);
    navigate(`/figures${next.size ? `?${next}` : ''}`, { replace: true });
  };

  const options = useMemo(() => {
    if (!data) return undefined;
    const labels = { median: t('figures.median'), p90: t('figures.p90'), unit: t('figures.minutesAxis') };
    const own = (cells: typeof data.timeToAcknowledge) => cells.filter((c) => c.system !== null || system === '');
    return {
      ack: durationOption(data.timeToAcknowledge, data.months, null, labels),
      restore: durationOption(data.timeToRestore, data.months, null, labels),
      onTime: onTimeOption(data.obligationsOnTime, (r) => [clauseRef(r.rule), pick(r.action)].filter(Boolean).join(' '), t('figures.table.share')),
      perLevel: perLevelOption(data.incidentsPerLevel, (l) => `${t(`level.short.${l}`)} ${l}`),
      ackCells: own(data.timeToAcknowledge),
      restoreCells: own(data.timeToRestore),
    };
  }, [data, t, pick, system]);

  const chartCard = (title: string, testId: string, option: EChartsCoreOption | undefined, table: ReactNode, height = 260) => (
    <Card size="small" title={title} data-testid={testId}>
      {option ? <EChart option={option} height={height} ariaLabel={title} testId={`${testId}-chart`} /> : <Skeleton active />}
      {table}
    </Card>
  );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="figures-page">
      <Card size="small" title={t('figures.title')}>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
          <Typography.Text>{t('figures.range')}</Typography.Text>
          <Space.Compact style={{ flex: '1 1 260px', minWidth: 0, maxWidth: 360 }}>
            <Input type="month" aria-label={t('history.filters.from')} value={fromMonth} max={toMonth || undefined} onChange={(e) => set({ from: e.target.value })} data-testid="figures-from" />
            <Input type="month" aria-label={t('history.filters.to')} value={toMonth} min={fromMonth || undefined} onChange={(e) => set({ to: e.target.value })} data-testid="figures-to" />
          </Space.Compact>
          <Select
            style={{ flex: '1 1 180px', minWidth: 0, maxWidth: 280 }}
            aria-label={t('figures.scope')}
            value={system}
            onChange={(v) => set({ system: v })}
            options={[{ value: '', label: t('figures.allSystems') }, ...(plan?.systems ?? []).map((s) => ({ value: s.id, label: pick(s.name) }))]}
            data-testid="figures-system"
          />
          {data && (
            <Typography.Text type="secondary" data-testid="figures-count">
              {data.incidents ? t('figures.incidents', { count: data.incidents }) : t('figures.noData')}
            </Typography.Text>
          )}
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
          {t('figures.definitions')}
        </Typography.Paragraph>
      </Card>
      {error ? <Alert type="error" showIcon title={errorText(error, t, 'figures.loadFailed')} data-testid="figures-error" /> : null}
      {loading && !data ? <Skeleton active /> : null}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          {chartCard(t('figures.tta'), 'figures-ack', options?.ack, <DurationTable cells={options?.ackCells ?? []} testId="figures-ack-table" />)}
        </Col>
        <Col xs={24} xl={12}>
          {chartCard(t('figures.ttr'), 'figures-restore', options?.restore, <DurationTable cells={options?.restoreCells ?? []} testId="figures-restore-table" />)}
        </Col>
        <Col xs={24} xl={12}>
          {chartCard(
            t('figures.onTime'),
            'figures-ontime',
            options?.onTime,
            <OnTimeTable rows={data?.obligationsOnTime ?? []} />,
            Math.max(200, 28 * (data?.obligationsOnTime.filter((r) => r.share !== null).length ?? 0) + 40),
          )}
        </Col>
        <Col xs={24} xl={12}>
          {chartCard(t('figures.perLevel'), 'figures-level', options?.perLevel, <PerLevelTable rows={data?.incidentsPerLevel ?? []} />)}
        </Col>
      </Row>
    </Space>
  );
}
