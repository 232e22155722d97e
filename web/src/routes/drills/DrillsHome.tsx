// /drills: the catalogue (due / overdue / scheduled, planned dates), the year's calendar, past runs with scores,
// open corrective actions (overdue first), and starting a drill (a catalogue entry or a pasted scenario).
import { Alert, Button, Card, Col, Form, Input, InputNumber, List, Radio, Row, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CatalogueItem, drillsApi } from '../../api/drills';
import { hasPermission } from '../../api/permissions';
import { DrillBadge } from '../../components/DrillBadge';
import { Link } from '../../components/Link';
import { useLang } from '../../hooks/useLang';
import { navigate } from '../../hooks/useLocation';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';
import { useProblemText } from '../../lib/problem';

const STATE_COLOUR: Record<CatalogueItem['state'], string> = { overdue: 'red', due: 'orange', scheduled: 'green' };

export default function DrillsHome() {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { session } = useSession();
  const canRun = hasPermission(session?.user.permissions, 'drill.run');
  const catalogue = useResource(() => drillsApi.catalogue(), []);
  const calendar = useResource(() => drillsApi.calendar(), []);
  const history = useResource(() => drillsApi.history(), []);
  const actions = useResource(() => drillsApi.openActions(), []);
  const items = catalogue.data?.items ?? [];
  const title = (id: string | null) => pick(items.find((i) => i.id === id)?.title) || t('drills.pastedScenario');

  return (
    <div data-testid="drills-home">
      <Typography.Title level={3}>
        <DrillBadge large />
        {t('drills.title')}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        {canRun && (
          <Col span={24}>
            <StartCard items={items} />
          </Col>
        )}
        <Col xs={24} lg={14}>
          <Card title={t('drills.catalogue')} size="small">
            <List dataSource={items} renderItem={(i) => <CatalogueRow item={i} canRun={canRun} onChanged={catalogue.reload} />} locale={{ emptyText: t('drills.noCatalogue') }} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('drills.openActions')} size="small" data-testid="drill-open-actions">
            <List
              dataSource={actions.data?.items ?? []}
              locale={{ emptyText: t('drills.noOpenActions') }}
              renderItem={(a) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <span>
                      {a.overdue && <Tag color="red">{t('drills.overdue')}</Tag>}
                      {a.title}
                    </span>
                    <Typography.Text type="secondary">
                      {a.owner.name} · {t('drills.dueOn', { date: a.due })} · <Link to={`/drills/runs/${a.runId}/score`}>{a.runName ?? t('drills.run')}</Link>
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('drills.history')} size="small">
            <List
              dataSource={history.data?.items ?? []}
              locale={{ emptyText: t('drills.noRuns') }}
              renderItem={(r) => (
                <List.Item
                  data-testid="drill-run-row"
                  actions={[
                    <Link key="s" to={`/drills/runs/${r.id}/score`}>
                      {t('drills.scores')}
                    </Link>,
                  ]}
                >
                  <Space direction="vertical" size={0}>
                    <Link to={`/drills/runs/${r.id}`}>{r.catalogueId ? title(r.catalogueId) : r.name}</Link>
                    <Typography.Text type="secondary">
                      {formatTime(r.startedAt)} · {t(`drills.state.${r.state}`)} · {r.score === null ? t('drills.noScore') : t('drills.scoreValue', { score: r.score })}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('drills.calendar')} size="small" data-testid="drill-calendar">
            {(calendar.data?.months ?? [])
              .filter((m) => m.entries.length > 0)
              .map((m) => (
                <div key={m.month} style={{ marginBottom: 8 }}>
                  <Typography.Text strong>{t('drills.month', { year: m.month.slice(0, 4), month: Number(m.month.slice(5, 7)) })}</Typography.Text>
                  {m.entries.map((e) => (
                    <div key={`${e.catalogueId}${e.date}`}>
                      {e.date.slice(5)} {title(e.catalogueId)} {e.planned && <Tag>{t('drills.planned')}</Tag>}
                    </div>
                  ))}
                </div>
              ))}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function CatalogueRow({ item, canRun, onChanged }: { item: CatalogueItem; canRun: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const problem = useProblemText();
  const [error, setError] = useState<string>();
  return (
    <List.Item data-testid={`drill-entry-${item.id}`}>
      <Space direction="vertical" size={2} style={{ width: '100%' }}>
        <span>
          <Tag color={STATE_COLOUR[item.state]}>{t(`drills.due.${item.state}`)}</Tag>
          <Typography.Text strong>{pick(item.title)}</Typography.Text>
        </span>
        <Typography.Text type="secondary">
          {t(`drills.category.${item.category}`)} · {t(`drills.format.${item.format}`)} · {pick(item.organiserName)} ·{' '}
          {item.lastRun ? t('drills.lastRun', { at: formatTime(item.lastRun.startedAt) }) : t('drills.neverRun')} · {t('drills.nextDue', { at: formatTime(item.nextDue) })}
        </Typography.Text>
        {canRun && (
          <Space wrap>
            <span>{t('drills.plannedDate')}</span>
            <Input
              type="date"
              size="small"
              style={{ width: 160 }}
              value={item.plannedDate ?? ''}
              onChange={(e) =>
                drillsApi.setPlanned(item.id, e.target.value || null).then(
                  () => {
                    setError(undefined);
                    onChanged();
                  },
                  (e) => setError(problem(e)),
                )
              }
            />
          </Space>
        )}
        {error && <Alert type="error" message={error} showIcon />}
      </Space>
    </List.Item>
  );
}

function StartCard({ items }: { items: CatalogueItem[] }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const problem = useProblemText();
  const [source, setSource] = useState<'catalogue' | 'yaml'>('catalogue');
  const [catalogueId, setCatalogueId] = useState<string>();
  const [yaml, setYaml] = useState('');
  const [factor, setFactor] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const withScenario = items.filter((i) => i.scenario);
  const start = async () => {
    if (source === 'catalogue' && !catalogueId) return setError(t('drills.chooseEntry'));
    if (source === 'yaml' && !yaml.trim()) return setError(t('drills.pasteScenario'));
    if (factor !== null && (factor < 1 || factor > 1000)) return setError(t('drills.factorRange'));
    setBusy(true);
    try {
      const run = await drillsApi.start({ ...(source === 'catalogue' ? { catalogueId } : { scenarioYaml: yaml }), ...(factor !== null ? { timeFactor: factor } : {}) });
      navigate(`/drills/runs/${run.id}`);
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('drills.start')} size="small" data-testid="drill-start">
      <Form layout="vertical">
        <Radio.Group value={source} onChange={(e) => setSource(e.target.value)} style={{ marginBottom: 8 }}>
          <Radio value="catalogue">{t('drills.fromCatalogue')}</Radio>
          <Radio value="yaml" data-testid="drill-source-yaml">
            {t('drills.fromYaml')}
          </Radio>
        </Radio.Group>
        {source === 'catalogue' ? (
          <Form.Item label={t('drills.entry')}>
            <Select
              data-testid="drill-entry-select"
              value={catalogueId}
              onChange={setCatalogueId}
              options={withScenario.map((i) => ({ value: i.id, label: pick(i.title) }))}
              style={{ maxWidth: 420 }}
            />
          </Form.Item>
        ) : (
          <Form.Item label={t('drills.scenarioYaml')}>
            <Input.TextArea data-testid="drill-yaml" rows={6} value={yaml} onChange={(e) => setYaml(e.target.value)} />
          </Form.Item>
        )}
        <Form.Item label={t('drills.timeFactor')} extra={t('drills.timeFactorHelp')}>
          <InputNumber data-testid="drill-factor" min={1} max={1000} value={factor} onChange={(v) => setFactor(v)} />
        </Form.Item>
        {error && <Alert type="error" message={error} showIcon style={{ marginBottom: 8 }} />}
        <Button type="primary" danger size="large" loading={busy} onClick={start} data-testid="drill-start-button">
          {t('drills.startButton')}
        </Button>
      </Form>
    </Card>
  );
}
