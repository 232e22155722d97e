// Plan view: levels and criteria, escalations, obligations, systems, roles — with provenance — and the lint result.
import { Alert, Card, Descriptions, Skeleton, Space, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { useLang } from '../../hooks/useLang';
import { useResource } from '../../hooks/useResource';
import { PlanLint } from './PlanLint';
import { CriteriaTable, EscalationsTable, ObligationsPlanTable, RolesTable, SystemsTable } from './PlanTables';

export default function PlanPage() {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { data: plan, error } = useResource(() => api.plan(), []);
  const { data: check } = useResource(() => api.planCheck(), []);
  if (!plan) return error ? <Alert type="error" showIcon title={t('plan.loadFailed')} /> : <Skeleton active />;
  const lintCount = (check?.errors?.length ?? 0) + (check?.warnings?.length ?? 0);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="plan-page">
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, md: 3 }} title={pick(plan.title)}>
          <Descriptions.Item label={t('plan.version')}>
            <code title={plan.id}>{plan.version}</code>
          </Descriptions.Item>
          <Descriptions.Item label={t('plan.provLegend')}>{t('plan.provLegendText')}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" data-scroll-x styles={{ body: { overflowX: 'auto' } }}>
        <Tabs
          items={[
            { key: 'levels', label: t('plan.levels'), children: <CriteriaTable plan={plan} /> },
            { key: 'escalations', label: t('plan.escalations'), children: <EscalationsTable plan={plan} /> },
            { key: 'obligations', label: t('plan.obligations'), children: <ObligationsPlanTable plan={plan} /> },
            { key: 'systems', label: t('plan.systems'), children: <SystemsTable plan={plan} /> },
            { key: 'roles', label: t('plan.roles'), children: <RolesTable plan={plan} /> },
            { key: 'lint', label: `${t('plan.lint')}${check ? ` (${lintCount})` : ''}`, children: <PlanLint check={check} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
