// `lifeline plan check` as a list: errors first, then warnings, each worded in the screen's language.
import { CloseCircleFilled, WarningFilled, CheckCircleFilled } from '@ant-design/icons';
import { Result, Typography } from 'antd';
import { PlanFindingText } from '../../components/PlanFindingText';
import { SimpleList } from '../../components/SimpleList';
import { useTranslation } from 'react-i18next';
import type { PlanCheck, PlanIssue } from '../../api/types';

export function PlanLint({ check }: { check: PlanCheck | undefined }) {
  const { t } = useTranslation();
  if (!check) return <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>;
  const rows = [...(check.errors ?? []).map((i) => ({ i, kind: 'error' as const })), ...(check.warnings ?? []).map((i) => ({ i, kind: 'warning' as const }))];
  if (rows.length === 0) return <Result status="success" icon={<CheckCircleFilled />} title={t('plan.lintClean')} data-testid="plan-lint-clean" />;
  return (
    <SimpleList<{ i: PlanIssue; kind: 'error' | 'warning' }>
      header={<span data-testid="plan-lint">{t('plan.lintSummary', { errors: check.errors?.length ?? 0, warnings: check.warnings?.length ?? 0 })}</span>}
      items={rows}
      itemKey={({ i, kind }, n) => `${kind}:${i.path ?? ''}:${n}`}
      itemTestId="plan-lint-item"
      itemProps={({ kind }) => ({ 'data-kind': kind })}
      render={({ i, kind }) => (
        <span>
          {kind === 'error' ? <CloseCircleFilled style={{ color: '#cf1322' }} /> : <WarningFilled style={{ color: '#d48806' }} />} <strong>{t(`plan.${kind}`)}</strong> <PlanFindingText finding={i} />
        </span>
      )}
    />
  );
}
