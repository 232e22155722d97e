// Manual mode of one incident: what the plan proposes, each department's sessions and progress, tallies, the closure gate.
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downtimeApi, DOWNTIME_PERM, type Overview } from '../../api/downtime';
import { BackEntryProgress, SessionStateTag } from '../../components/downtime/StateTag';
import { useCatalogue } from '../../components/downtime/useCatalogue';
import { Link } from '../../components/Link';
import { refreshNow } from '../../hooks/live';
import { navigate } from '../../hooks/useLocation';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { TallyCard } from './TallyCard';
import { SystemName } from '../../components/Names';

export default function IncidentDowntimePage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { data, reload } = useResource(() => downtimeApi.overview(id), [id]);
  if (!data) return null;
  const closed = data.incident.state === 'closed';
  return (
    <Row gutter={[12, 12]} data-testid="incident-downtime" data-incident-id={id}>
      <Col span={24}>
        <Card size="small">
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('downtime.incident.title', { title: data.incident.title })}
            </Typography.Title>
            <Tag>{t(`incidentState.${data.incident.state}`)}</Tag>
            {data.incident.systems
              .filter((s) => s.state !== 'up')
              .map((s) => (
                <Tag color={s.state === 'down' ? 'red' : 'orange'} key={s.system}>
                  <SystemName id={s.system} /> · {t(`systemState.${s.state}`)}
                </Tag>
              ))}
            <Link to={`/incidents/${id}`}>{t('downtime.incident.room')}</Link>
          </Space>
        </Card>
      </Col>
      <Col span={24}>
        <ClosureCard data={data} onDone={reload} />
      </Col>
      {!closed && (
        <Col span={24}>
          <ProposalsCard data={data} onDone={reload} />
        </Col>
      )}
      <Col span={24}>
        <SessionsCard data={data} />
      </Col>
      <Col xs={24} xl={14}>
        <DepartmentsCard data={data} />
      </Col>
      {!closed && (
        <Col xs={24} xl={10}>
          <TallyCard incidentId={id} departments={data.departments} onDone={reload} />
        </Col>
      )}
    </Row>
  );
}

function ClosureCard({ data, onDone }: { data: Overview; onDone: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  if (data.incident.state === 'closed') return <Alert type="success" showIcon title={t('downtime.closure.closed')} />;
  if (data.openForClose.length === 0) return <Alert type="success" showIcon data-testid="closure-clear" title={t('downtime.closure.clear')} />;
  const waive = async () => {
    try {
      const r = await downtimeApi.waive(data.incident.id, reason);
      message.success(t('downtime.closure.waivedDone', { count: r.waived }));
      setReason('');
      refreshNow();
      onDone();
    } catch {
      /* reported */
    }
  };
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="closure-open"
      title={t('downtime.closure.open', { count: data.openForClose.length })}
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {data.openForClose.map((x) => (
              <li key={x} data-testid="open-for-close">
                {x}
              </li>
            ))}
          </ul>
          {can(DOWNTIME_PERM.waive) && (
            <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
              <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('downtime.closure.reason')} data-testid="waive-reason" />
              <Button danger disabled={!reason.trim()} onClick={waive} data-testid="waive-downtime">
                {t('downtime.closure.waive')}
              </Button>
            </Space.Compact>
          )}
        </Space>
      }
    />
  );
}

function ProposalsCard({ data, onDone }: { data: Overview; onDone: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { catalogue, lineName, deptName } = useCatalogue();
  const [busy, setBusy] = useState<string>();
  const [manual] = Form.useForm();
  const start = async (line: string, dept: string) => {
    setBusy(`${line}:${dept}`);
    try {
      const s = await downtimeApi.start(data.incident.id, line, dept);
      refreshNow();
      onDone();
      return s;
    } catch {
      return undefined;
    } finally {
      setBusy(undefined);
    }
  };
  const line = Form.useWatch('line', manual) as string | undefined;
  return (
    <Card size="small" title={t('downtime.proposals.title')} data-testid="proposals">
      <Typography.Paragraph type="secondary">{t('downtime.proposals.help')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey={(p) => `${p.businessLine}:${p.department}`}
        pagination={false}
        dataSource={data.proposals}
        locale={{ emptyText: t('downtime.proposals.none') }}
        onRow={(p) => ({ 'data-testid': 'proposal-row', 'data-line': p.businessLine, 'data-department': p.department }) as never}
        columns={[
          { title: t('downtime.line'), render: (_, p) => lineName(p.businessLine) },
          { title: t('downtime.department'), render: (_, p) => deptName(p.department) },
          {
            title: t('downtime.proposals.because'),
            render: (_, p) =>
              p.because.map((s) => (
                <Tag color="red" key={s}>
                  <SystemName id={s} />
                </Tag>
              )),
          },
          {
            title: '',
            render: (_, p) =>
              can(DOWNTIME_PERM.operate) && (
                <Button size="small" type="primary" loading={busy === `${p.businessLine}:${p.department}`} data-testid="start-session" onClick={() => start(p.businessLine, p.department)}>
                  {t('downtime.proposals.start')}
                </Button>
              ),
          },
        ]}
      />
      {can(DOWNTIME_PERM.operate) && (
        <Form
          form={manual}
          layout="inline"
          style={{ marginTop: 12, rowGap: 8 }}
          onFinish={async (v) => {
            const s = await start(v.line, v.department);
            if (s) navigate(`/downtime/sessions/${s.id}`);
          }}
        >
          <Form.Item name="line" label={t('downtime.line')} rules={[{ required: true, message: t('form.required') }]}>
            <Select style={{ width: 180 }} options={(catalogue?.businessLines ?? []).map((b) => ({ value: b.id, label: lineName(b.id) }))} />
          </Form.Item>
          <Form.Item name="department" label={t('downtime.department')} rules={[{ required: true, message: t('form.required') }]}>
            <Select style={{ width: 200 }} options={(catalogue?.businessLines.find((b) => b.id === line)?.departments ?? []).map((d) => ({ value: d, label: deptName(d) }))} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit">{t('downtime.proposals.startOther')}</Button>
          </Form.Item>
        </Form>
      )}
    </Card>
  );
}

function SessionsCard({ data }: { data: Overview }) {
  const { t } = useTranslation();
  const { lineName, deptName } = useCatalogue();
  return (
    <Card size="small" title={t('downtime.sessions.title')}>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data.sessions}
        scroll={{ x: true }}
        locale={{ emptyText: t('downtime.sessions.none') }}
        onRow={(s) => ({ 'data-testid': 'session-row', 'data-session-id': s.id, 'data-line': s.businessLine, 'data-department': s.department, 'data-state': s.state }) as never}
        columns={[
          {
            title: t('downtime.line'),
            render: (_, s) => (
              <Link to={`/downtime/sessions/${s.id}`} data-testid="session-link">
                {lineName(s.businessLine)}
              </Link>
            ),
          },
          { title: t('downtime.department'), render: (_, s) => deptName(s.department) },
          { title: t('downtime.sessions.state'), render: (_, s) => <SessionStateTag state={s.state} waived={Boolean(s.waivedAt)} /> },
          { title: t('downtime.sessions.backEntry'), render: (_, s) => <BackEntryProgress progress={s.progress} /> },
          {
            title: t('downtime.sessions.checks'),
            render: (_, s) => {
              const open = s.checks.filter((c) => !c.ok).length;
              return open ? <Tag color="orange">{t('downtime.sessions.checksOpen', { count: open })}</Tag> : <Tag color="green">{t('downtime.sessions.checksOk')}</Tag>;
            },
          },
        ]}
      />
    </Card>
  );
}

function DepartmentsCard({ data }: { data: Overview }) {
  const { t } = useTranslation();
  const { deptName } = useCatalogue();
  return (
    <Card size="small" title={t('downtime.departments.title')} data-testid="departments">
      <Table
        size="small"
        rowKey="department"
        pagination={false}
        dataSource={data.departments}
        scroll={{ x: true }}
        onRow={(d) => ({ 'data-testid': 'department-row', 'data-department': d.department }) as never}
        columns={[
          { title: t('downtime.department'), render: (_, d) => deptName(d.department) },
          { title: t('downtime.sessions.backEntry'), render: (_, d) => <BackEntryProgress progress={d.progress} /> },
          { title: t('downtime.sessions.checks'), render: (_, d) => (d.checksOpen ? <Tag color="orange">{d.checksOpen}</Tag> : <Tag color="green">0</Tag>) },
          { title: t('downtime.departments.numbers'), dataIndex: 'numbersIssued' },
          { title: t('downtime.departments.forms'), dataIndex: 'formsPrinted' },
          {
            title: t('downtime.tally.title'),
            render: (_, d) =>
              d.tally
                ? (['emergency', 'inpatient', 'outpatient', 'medical_insurance', 'critically_ill'] as const)
                    .filter((c) => d.tally![c] !== undefined)
                    .map((c) => (
                      <Tag key={c}>
                        {t(`downtime.tally.${c}`)} {d.tally![c]}
                      </Tag>
                    ))
                : '—',
          },
        ]}
      />
    </Card>
  );
}
