// One department's manual mode for one business line: procedure, numbers, forms, back-entry, reconciliation.
import { actorLabel } from '../../lib/timeline';
import { App, Button, Card, Input, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { downtimeApi, DOWNTIME_PERM, type SessionDetail } from '../../api/downtime';
import { BackEntryProgress, SessionStateTag } from '../../components/downtime/StateTag';
import { useCatalogue } from '../../components/downtime/useCatalogue';
import { Link } from '../../components/Link';
import { refreshNow } from '../../hooks/live';
import { useLang } from '../../hooks/useLang';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';
import { BackEntryTab } from './BackEntryTab';
import { ChecklistTab } from './ChecklistTab';
import { FormsTab } from './FormsTab';
import { NumbersTab } from './NumbersTab';
import { ReconcileTab } from './ReconcileTab';
import { type SessionLogHelpers, sessionLogKind, sessionLogText } from './sessionLog';

export default function SessionPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { lineName } = useCatalogue();
  const { data: s, reload } = useResource(() => downtimeApi.session(id), [id]);
  const [tab, setTab] = useState<string>();
  if (!s) return null;
  const done = () => {
    refreshNow();
    reload();
  };
  const closed = s.incident.state === 'closed';
  const open = s.checks.filter((c) => !c.ok).length;
  const label = (key: string, text: string, extra?: React.ReactNode) => (
    <span data-testid={`tab-${key}`}>
      {text}
      {extra}
    </span>
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="session-page" data-session-id={s.id} data-state={s.state}>
      <Card size="small">
        <Space wrap align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {lineName(s.businessLine)} · {pick(s.departmentName)}
          </Typography.Title>
          <SessionStateTag state={s.state} waived={Boolean(s.waivedAt)} />
          <BackEntryProgress progress={s.progress} />
          <Link to={`/downtime/incidents/${s.incidentId}`}>{s.incident.title}</Link>
          <Typography.Text type="secondary">{t('downtime.session.since', { time: formatTime(s.startedAt), by: actorLabel(s.startedBy, t) })}</Typography.Text>
        </Space>
        {!closed && (
          <div style={{ marginTop: 8 }}>
            <Moves s={s} onDone={done} />
          </div>
        )}
        {s.waivedAt && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('downtime.session.waivedBy', { by: s.waivedBy, reason: s.waiverReason })}
          </Typography.Paragraph>
        )}
      </Card>
      <Card size="small">
        <Tabs
          activeKey={tab ?? (s.state === 'active' ? 'numbers' : s.state === 'reconciled' ? 'reconcile' : 'entry')}
          onChange={setTab}
          items={[
            { key: 'procedure', label: label('procedure', t('downtime.tabs.procedure')), children: <ChecklistTab s={s} onDone={done} /> },
            { key: 'numbers', label: label('numbers', t('downtime.tabs.numbers'), <Tag style={{ marginLeft: 4 }}>{s.numbers.length}</Tag>), children: <NumbersTab s={s} onDone={done} /> },
            { key: 'forms', label: label('forms', t('downtime.tabs.forms'), <Tag style={{ marginLeft: 4 }}>{s.forms.length}</Tag>), children: <FormsTab s={s} onDone={done} /> },
            {
              key: 'entry',
              label: label(
                'entry',
                t('downtime.tabs.entry'),
                <Tag style={{ marginLeft: 4 }}>
                  {s.progress.verified}/{s.progress.total}
                </Tag>,
              ),
              children: <BackEntryTab s={s} onDone={done} />,
            },
            {
              key: 'reconcile',
              label: label(
                'reconcile',
                t('downtime.tabs.reconcile'),
                open ? (
                  <Tag color="orange" style={{ marginLeft: 4 }}>
                    {open}
                  </Tag>
                ) : (
                  <Tag color="green" style={{ marginLeft: 4 }}>
                    ✓
                  </Tag>
                ),
              ),
              children: <ReconcileTab s={s} onDone={done} />,
            },
            { key: 'log', label: label('log', t('downtime.tabs.log')), children: <EventLog s={s} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

/** The state moves this session can make now. Leaving `active` while a system is still down asks for a reason. */
function Moves({ s, onDone }: { s: SessionDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { modal, message } = App.useApp();
  const [busy, setBusy] = useState<string>();
  if (!can(DOWNTIME_PERM.operate)) return null;
  const move = async (to: 'active' | 'recovery' | 'back_entry', reason?: string) => {
    setBusy(to);
    try {
      await downtimeApi.move(s.id, to, reason);
      message.success(t(`downtime.move.done.${to}`));
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === 'SYSTEM_STILL_DOWN') askReason((r) => move(to, r));
    } finally {
      setBusy(undefined);
    }
  };
  const askReason = (then: (reason: string) => void) => {
    let reason = '';
    modal.confirm({ title: t('downtime.move.stillDown'), content: <Input.TextArea onChange={(e) => (reason = e.target.value)} />, onOk: () => (reason.trim() ? then(reason) : undefined) });
  };
  const reconcile = async () => {
    setBusy('reconciled');
    try {
      await downtimeApi.reconcile(s.id);
      message.success(t('downtime.move.done.reconciled'));
      onDone();
    } catch {
      /* reported */
    } finally {
      setBusy(undefined);
    }
  };
  const b = (key: string, text: string, run: () => void, primary = true) => (
    <Button key={key} type={primary ? 'primary' : 'default'} loading={busy === key} data-testid={`session-move-${key}`} onClick={run}>
      {text}
    </Button>
  );
  const buttons = {
    active: [b('recovery', t('downtime.move.recovery'), () => move('recovery'))],
    recovery: [b('back_entry', t('downtime.move.back_entry'), () => move('back_entry')), b('active', t('downtime.move.active'), () => move('active'), false)],
    back_entry: can(DOWNTIME_PERM.verify) ? [b('reconciled', t('downtime.move.reconciled'), reconcile)] : [],
    reconciled: [],
  }[s.state];
  return (
    <Space wrap>
      {buttons}
      <Typography.Text type="secondary">{t(`downtime.move.hint.${s.state}`)}</Typography.Text>
    </Space>
  );
}

function EventLog({ s }: { s: SessionDetail }) {
  const { t, i18n } = useTranslation();
  const { pick } = useLang();
  const { formTitle } = useCatalogue();
  const h: SessionLogHelpers = {
    t: (key, options) => String(t(key, options ?? {})),
    exists: (key) => i18n.exists(key),
    time: (at) => formatTime(typeof at === 'number' ? new Date(at).toISOString() : at),
    stepText: (id) => {
      const step = s.checklist.find((c) => c.id === id);
      return step ? pick(step.text) : undefined;
    },
    formTitle,
  };
  return (
    <ul style={{ margin: 0, paddingLeft: 18, maxHeight: 480, overflow: 'auto' }} data-testid="session-log">
      {s.events.map((e) => {
        const text = sessionLogText(e, h);
        return (
          <li key={e.id} data-testid="session-log-entry" data-kind={e.kind}>
            <Typography.Text type="secondary">{formatTime(e.at)}</Typography.Text> {actorLabel(e.actor, t)} · {sessionLogKind(e.kind, h)}
            {text ? ` · ${text}` : ''}
          </li>
        );
      })}
    </ul>
  );
}
