// /drills/runs/:id: a run's state, its incidents (marked 演练), pause / resume / end for drill.run, links to the
// observers' sheet and the scores.
import { Alert, Button, Card, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drillsApi } from '../../api/drills';
import { hasPermission } from '../../api/permissions';
import { DrillBadge } from '../../components/DrillBadge';
import { Link } from '../../components/Link';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';
import { useProblemText } from '../../lib/problem';

export default function RunPage({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const problem = useProblemText();
  const canRun = hasPermission(session?.user.permissions, 'drill.run');
  const run = useResource(() => drillsApi.run(runId), [runId], { live: true });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const r = run.data;
  const control = async (what: 'pause' | 'resume' | 'end') => {
    setBusy(true);
    try {
      await drillsApi.control(runId, what);
      setError(undefined);
      run.reload();
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };
  if (!r) return run.error ? <Alert type="error" message={problem(run.error)} /> : null;
  return (
    <div data-testid="drill-run" data-state={r.state}>
      <Typography.Title level={3}>
        <DrillBadge large />
        {r.scenarioName}
      </Typography.Title>
      <Card size="small">
        <Space direction="vertical" style={{ width: '100%' }}>
          <span data-testid="drill-run-state">
            {t(`drills.state.${r.state}`)} · {t('drills.factorValue', { factor: r.timeFactor })} · {t('drills.startedAt', { at: formatTime(r.startedAt) })}
            {r.endedAt ? ` · ${t('drills.endedAt', { at: formatTime(r.endedAt) })}` : ''}
          </span>
          <span>{t('drills.steps', { done: r.nextStep, total: r.stepsTotal })}</span>
          {canRun && r.state !== 'ended' && (
            <Space wrap>
              {r.state === 'running' ? (
                <Button size="large" loading={busy} onClick={() => control('pause')} data-testid="drill-pause">
                  {t('drills.pause')}
                </Button>
              ) : (
                <Button size="large" loading={busy} onClick={() => control('resume')} data-testid="drill-resume">
                  {t('drills.resume')}
                </Button>
              )}
              <Button size="large" danger loading={busy} onClick={() => control('end')} data-testid="drill-end">
                {t('drills.end')}
              </Button>
            </Space>
          )}
          {error && <Alert type="error" message={error} showIcon />}
          <Space wrap>
            <Link to={`/drills/runs/${runId}/sheet`} data-testid="drill-sheet-link">
              {t('drills.sheet')}
            </Link>
            <Link to={`/drills/runs/${runId}/score`} data-testid="drill-score-link">
              {t('drills.scores')}
            </Link>
          </Space>
        </Space>
      </Card>
      <Card size="small" title={t('drills.incidents')} style={{ marginTop: 12 }}>
        <List
          dataSource={r.incidents}
          locale={{ emptyText: t('drills.noIncidents') }}
          renderItem={(i) => (
            <List.Item data-testid="drill-incident">
              <span>
                <DrillBadge />
                <Link to={`/incidents/${i.id}`}>{i.title}</Link> · {i.level}
              </span>
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
