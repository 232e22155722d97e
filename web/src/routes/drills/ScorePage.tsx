// /drills/runs/:id/score: the scores per group and overall, compared with earlier drills, the deadlines met/late/
// missed, report downloads, and the corrective actions decided after the drill.
import { clauseRef } from '../../lib/format';
import { Alert, Button, Card, Col, Form, Input, List, Progress, Row, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drillsApi, reportUrl } from '../../api/drills';
import { hasPermission } from '../../api/permissions';
import { DrillBadge } from '../../components/DrillBadge';
import { Link } from '../../components/Link';
import { useLang } from '../../hooks/useLang';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { useProblemText } from '../../lib/problem';

const OUTCOME_COLOUR = { met: 'green', late: 'orange', missed: 'red' } as const;

export default function ScorePage({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const { pick, lang } = useLang();
  const problem = useProblemText();
  const score = useResource(() => drillsApi.score(runId), [runId]);
  const s = score.data;
  if (!s) return score.error ? <Alert type="error" message={problem(score.error)} /> : null;
  const cmp = s.comparison;
  return (
    <div data-testid="drill-score" data-overall={s.overall ?? ''}>
      <Typography.Title level={3}>
        <DrillBadge large />
        {t('drills.scoresTitle')}
      </Typography.Title>
      <Link to={`/drills/runs/${runId}`}>{t('drills.backToRun')}</Link>
      <Row gutter={[12, 12]} style={{ marginTop: 8 }}>
        <Col xs={24} md={10}>
          <Card size="small" title={t('drills.overall')}>
            <Progress type="circle" percent={s.overall ?? 0} format={() => (s.overall === null ? t('drills.noScore') : String(s.overall))} />
            <p>{t('drills.compareSame', { runs: cmp.sameEntry.runs, average: cmp.sameEntry.average ?? t('drills.none'), last: cmp.sameEntry.last ?? t('drills.none') })}</p>
            <p>{t('drills.compareAll', { runs: cmp.all.runs, average: cmp.all.average ?? t('drills.none') })}</p>
            <Space wrap>
              <a href={reportUrl(runId, 'pdf', lang)} data-testid="drill-report-pdf">
                {t('drills.reportPdf')}
              </a>
              <a href={reportUrl(runId, 'docx', lang)} data-testid="drill-report-docx">
                {t('drills.reportDocx')}
              </a>
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={14}>
          <Card size="small" title={t('drills.groupScores')}>
            {s.groups.map((g) => (
              <div key={g.id} data-testid={`group-score-${g.id}`} data-score={g.score ?? ''}>
                <Typography.Text>{pick(g.name)}</Typography.Text>
                {g.score === null ? <Typography.Text type="secondary"> {t('drills.notExercised')}</Typography.Text> : <Progress percent={g.score} format={(p) => String(p)} />}
              </div>
            ))}
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title={t('drills.deadlines')}>
            <List
              dataSource={s.obligations}
              locale={{ emptyText: t('drills.none') }}
              renderItem={(o) => (
                <List.Item data-testid={`obligation-${o.ruleId}`} data-outcome={o.outcome}>
                  <span style={{ overflowWrap: 'anywhere' }}>
                    <Tag color={OUTCOME_COLOUR[o.outcome]}>{t(`drills.result.${o.outcome}`)}</Tag>
                    {clauseRef(o.ruleId)} {pick(o.action)}
                  </span>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col span={24}>
          <ActionsCard runId={runId} />
        </Col>
      </Row>
    </div>
  );
}

function ActionsCard({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const problem = useProblemText();
  const canRun = hasPermission(session?.user.permissions, 'drill.run');
  const actions = useResource(() => drillsApi.actions(runId), [runId]);
  const owners = useResource(() => (canRun ? drillsApi.owners() : Promise.resolve({ items: [] })), [canRun]);
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState<string>();
  const [due, setDue] = useState('');
  const [error, setError] = useState<string>();
  const add = async () => {
    if (!title.trim()) return setError(t('drills.actionTitleRequired'));
    if (!owner) return setError(t('drills.actionOwnerRequired'));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) return setError(t('drills.actionDueRequired'));
    try {
      await drillsApi.addAction(runId, { title: title.trim(), ownerPersonId: owner, due });
      setTitle('');
      setError(undefined);
      actions.reload();
    } catch (e) {
      setError(problem(e));
    }
  };
  return (
    <Card size="small" title={t('drills.actions')}>
      <List
        dataSource={actions.data?.items ?? []}
        locale={{ emptyText: t('drills.noActions') }}
        renderItem={(a) => (
          <List.Item
            actions={
              canRun
                ? [
                    <Button key="d" size="small" onClick={() => drillsApi.changeAction(a.id, { state: a.state === 'done' ? 'open' : 'done' }).then(actions.reload, (e) => setError(problem(e)))}>
                      {a.state === 'done' ? t('drills.reopen') : t('drills.markDone')}
                    </Button>,
                  ]
                : []
            }
          >
            <span>
              {a.state === 'done' ? <Tag color="green">{t('drills.done')}</Tag> : a.overdue ? <Tag color="red">{t('drills.overdue')}</Tag> : <Tag>{t('drills.open')}</Tag>}
              {a.title} · {a.owner.name} · {t('drills.dueOn', { date: a.due })}
            </span>
          </List.Item>
        )}
      />
      {canRun && (
        <Form layout="vertical" style={{ marginTop: 8 }}>
          <Form.Item label={t('drills.actionTitle')}>
            <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
          </Form.Item>
          <Form.Item label={t('drills.actionOwner')}>
            <Select showSearch optionFilterProp="label" value={owner} onChange={setOwner} options={(owners.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} ${p.department}` }))} />
          </Form.Item>
          <Form.Item label={t('drills.actionDue')}>
            <Input type="date" value={due} onChange={(e) => setDue(e.target.value)} style={{ width: 180 }} />
          </Form.Item>
          {error && <Alert type="error" message={error} showIcon style={{ marginBottom: 8 }} />}
          <Button onClick={add}>{t('drills.addAction')}</Button>
        </Form>
      )}
    </Card>
  );
}
