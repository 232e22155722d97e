// What a phone opens after scanning a form's QR code: the form, its back-entry record, and "register" if it has none.
import { actorLabel } from '../../lib/timeline';
import { Alert, App, Button, Card, Descriptions, Result, Select, Skeleton, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { downtimeApi, DOWNTIME_PERM } from '../../api/downtime';
import { api } from '../../api/endpoints';
import { ItemStateTag } from '../../components/downtime/StateTag';
import { useCatalogue } from '../../components/downtime/useCatalogue';
import { Link } from '../../components/Link';
import { navigate } from '../../hooks/useLocation';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';
import { localToIso } from './BackEntryTab';

async function openSessions() {
  const { items } = await api.incidents('open');
  const all = await Promise.all(
    items.map((i) =>
      downtimeApi
        .overview(i.id)
        .then((o) => o.sessions.map((s) => ({ ...s, title: i.title })))
        .catch(() => []),
    ),
  );
  return all.flat().filter((s) => s.state !== 'reconciled');
}

export default function ScanPage({ serial }: { serial: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const { formTitle, lineName, deptName, line } = useCatalogue();
  const lookup = useResource(() => downtimeApi.lookup(serial), [serial]);
  const sessions = useResource(openSessions, []);
  const [sessionId, setSessionId] = useState<string>();
  const [eventAt, setEventAt] = useState('');

  if (lookup.error instanceof ApiError && lookup.error.status === 404)
    return <Result status="404" title={t('downtime.scan.unknown', { serial })} extra={<Link to="/downtime">{t('downtime.nav')}</Link>} />;
  const l = lookup.data;
  if (!l) return <Skeleton active />;
  const type = l.form?.type ?? l.serial.slice(0, 2);
  const fitting = (sessions.data ?? []).filter((s) => !l.form?.type || line(s.businessLine)?.forms?.includes(l.form.type) || !l.form);
  const target = l.form?.sessionId ?? sessionId ?? (fitting.length === 1 ? fitting[0].id : undefined);
  const register = async () => {
    try {
      const item = await downtimeApi.register({ serial: l.serial, sessionId: target, eventAt: localToIso(eventAt) });
      message.success(t('downtime.entry.registered', { what: item.serial }));
      navigate(`/downtime/sessions/${item.sessionId}`);
    } catch {
      /* reported */
    }
  };
  return (
    <Card size="small" title={`${t('downtime.scan.title')} · ${l.serial}`} data-testid="scan-page" data-serial={l.serial}>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'type', label: t('downtime.forms.type'), children: l.form ? formTitle(l.form.type) : `${type} · ${t('downtime.scan.fromKit', { kit: l.kit })}` },
          ...(l.form
            ? [
                { key: 'number', label: t('downtime.numbers.number'), children: l.form.number ?? '—' },
                { key: 'printed', label: t('downtime.forms.printedAt'), children: `${formatTime(l.form.printedAt)} · ${actorLabel(l.form.printedBy, t)}` },
                { key: 'where', label: t('downtime.department'), children: deptName(l.form.department) },
              ]
            : []),
          ...(l.item
            ? [
                { key: 'state', label: t('downtime.entry.state'), children: <ItemStateTag state={l.item.state} /> },
                { key: 'hid', label: t('downtime.entry.hospitalId'), children: l.item.hospitalId ?? '—' },
              ]
            : []),
        ]}
      />
      {l.item ? (
        <Button type="primary" style={{ marginTop: 12 }} onClick={() => navigate(`/downtime/sessions/${l.item!.sessionId}`)}>
          {t('downtime.scan.toSession')}
        </Button>
      ) : can(DOWNTIME_PERM.operate) ? (
        <Space direction="vertical" style={{ marginTop: 12, width: '100%' }}>
          {!l.form?.sessionId && (
            <Select
              style={{ width: '100%', maxWidth: 480 }}
              placeholder={t('downtime.scan.session')}
              value={target}
              onChange={setSessionId}
              data-testid="scan-session"
              options={fitting.map((s) => ({ value: s.id, label: `${lineName(s.businessLine)} · ${deptName(s.department)} · ${s.title}` }))}
            />
          )}
          <label>
            {t('downtime.entry.eventAt')} <input type="datetime-local" value={eventAt} onChange={(e) => setEventAt(e.target.value)} />
          </label>
          <Button type="primary" disabled={!target} onClick={register} data-testid="scan-register">
            {t('downtime.entry.register')}
          </Button>
          {!target && <Alert type="info" showIcon title={t('downtime.scan.pickSession')} />}
        </Space>
      ) : null}
    </Card>
  );
}
