// Back-entry (补录): register each paper record (QR or serial), enter it with its hospital-system id, a second person verifies.
// A table on a desktop; one card per record on a phone, with the same fields and buttons.
import { actorLabel } from '../../lib/timeline';
import { App, Button, Checkbox, Input, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downtimeApi, DOWNTIME_PERM, MI_STATUSES, type Item, type RecordType, type RegisterItemBody, type SessionDetail } from '../../api/downtime';
import { CameraScan } from '../../components/downtime/CameraScan';
import { ItemStateTag } from '../../components/downtime/StateTag';
import { useCatalogue } from '../../components/downtime/useCatalogue';
import { useIsPhone } from '../../hooks/useIsPhone';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';

/** datetime-local value ("2026-03-02T09:15") → ISO with the browser's zone. */
export const localToIso = (v: string) => (v ? new Date(v).toISOString() : undefined);
const nowLocal = () => {
  const d = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

export function BackEntryTab({ s, onDone }: { s: SessionDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { can, session } = useSession();
  const { catalogue } = useCatalogue();
  const { message } = App.useApp();
  const [serial, setSerial] = useState('');
  const [eventAt, setEventAt] = useState(nowLocal);
  const [mi, setMi] = useState(false);
  const [openOnly, setOpenOnly] = useState(false);
  const [manualType, setManualType] = useState<RecordType>();
  const [tempNumber, setTempNumber] = useState('');
  const closed = s.incident.state === 'closed';
  const operate = can(DOWNTIME_PERM.operate) && !closed;
  const me = session?.user.name;
  const phone = useIsPhone();

  const register = async (body: Pick<RegisterItemBody, 'serial' | 'recordType' | 'tempNumber'>) => {
    try {
      const item = await downtimeApi.register({ ...body, sessionId: s.id, eventAt: localToIso(eventAt), mi: mi || undefined });
      message.success(t('downtime.entry.registered', { what: item.serial ?? item.recordType }));
      setSerial('');
      setTempNumber('');
      onDone();
    } catch {
      /* reported */
    }
  };
  const items = openOnly ? s.items.filter((i) => i.state !== 'verified' && i.state !== 'void') : s.items;
  const recordCell = (i: Item) => (
    <Space direction="vertical" size={0}>
      <Typography.Text code>{i.serial ?? '—'}</Typography.Text>
      <Typography.Text type="secondary">
        {t(`downtime.record.${i.recordType}`)}
        {i.tempNumber ? ` · ${i.tempNumber}` : ''}
      </Typography.Text>
    </Space>
  );
  const stateCell = (i: Item) => (
    <Space size={2} wrap>
      <ItemStateTag state={i.state} />
      {i.lateEntry && (
        <Tooltip title={t('downtime.entry.lateHelp')}>
          <Tag color="gold">{t('downtime.entry.late')}</Tag>
        </Tooltip>
      )}
      {i.overdueEntry && <Tag color="red">{t('downtime.entry.overdue')}</Tag>}
    </Space>
  );
  const enterCell = (i: Item) => <EnterCell item={i} editable={operate && s.state === 'back_entry'} onDone={onDone} eventAt={eventAt} />;
  const whoCell = (i: Item) => (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {i.enteredBy ? `${t('downtime.entry.enteredBy', { by: actorLabel(i.enteredBy, t), time: formatTime(i.enteredAt) })}` : `${actorLabel(i.registeredBy, t)} · ${formatTime(i.registeredAt)}`}
      {i.verifiedBy ? (
        <>
          <br />
          {t('downtime.entry.verifiedBy', { by: actorLabel(i.verifiedBy, t), time: formatTime(i.verifiedAt) })}
        </>
      ) : null}
    </Typography.Text>
  );
  const actionsCell = (i: Item) => <RowActions item={i} me={me} canVerify={can(DOWNTIME_PERM.verify) && !closed} canOperate={operate} onDone={onDone} />;

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {operate && (
        <Space wrap align="end">
          <label>
            {t('downtime.entry.eventAt')}
            <br />
            <input type="datetime-local" value={eventAt} onChange={(e) => setEventAt(e.target.value)} data-testid="entry-event-at" style={{ height: 32 }} />
          </label>
          <Input.Search
            style={{ width: 300, maxWidth: '100%' }}
            value={serial}
            onChange={(e) => setSerial(e.target.value)}
            placeholder={t('downtime.entry.serialPlaceholder')}
            enterButton={t('downtime.entry.register')}
            onSearch={(v) => v.trim() && register({ serial: v.trim() })}
            data-testid="register-serial"
          />
          <CameraScan onSerial={(x) => register({ serial: x })} />
          <Checkbox checked={mi} onChange={(e) => setMi(e.target.checked)}>
            {t('downtime.entry.mi')}
          </Checkbox>
        </Space>
      )}
      {operate && (
        <Space wrap>
          <Typography.Text type="secondary">{t('downtime.entry.noSerial')}</Typography.Text>
          <Select
            style={{ width: 180 }}
            placeholder={t('downtime.entry.recordType')}
            value={manualType}
            onChange={setManualType}
            options={(catalogue?.recordTypes ?? []).map((r) => ({ value: r, label: t(`downtime.record.${r}`) }))}
          />
          <Input style={{ width: 160 }} placeholder={t('downtime.entry.tempNumber')} value={tempNumber} onChange={(e) => setTempNumber(e.target.value)} />
          <Button disabled={!manualType} onClick={() => register({ recordType: manualType, tempNumber: tempNumber.trim() || undefined })}>
            {t('downtime.entry.register')}
          </Button>
        </Space>
      )}
      {s.state !== 'back_entry' && !closed && <Typography.Text type="warning">{t('downtime.entry.notYet')}</Typography.Text>}
      <Space>
        <Switch size="small" checked={openOnly} onChange={setOpenOnly} /> {t('downtime.entry.openOnly')}
      </Space>
      {phone ? (
        <div data-testid="item-cards">
          {items.map((i) => (
            <div key={i.id} className="phone-card" data-testid="item-row" data-item-id={i.id} data-serial={i.serial ?? ''} data-state={i.state}>
              <div className="phone-card-line">
                <span className="phone-card-grow">{recordCell(i)}</span>
                {stateCell(i)}
              </div>
              <div>
                <span className="phone-card-label">{t('downtime.entry.eventAt')}</span>
                <span className="tabular">{formatTime(i.eventAt)}</span>
              </div>
              <div className="phone-card-line">
                <span className="phone-card-label">{t('downtime.entry.hospitalId')}</span>
                {enterCell(i)}
              </div>
              {whoCell(i)}
              {actionsCell(i)}
            </div>
          ))}
          {items.length === 0 && <Typography.Text type="secondary">{t('common.none')}</Typography.Text>}
        </div>
      ) : (
        <Table
          size="small"
          rowKey="id"
          dataSource={items}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: true }}
          onRow={(i) => ({ 'data-testid': 'item-row', 'data-item-id': i.id, 'data-serial': i.serial ?? '', 'data-state': i.state }) as never}
          columns={[
            { title: t('downtime.entry.record'), render: (_, i) => recordCell(i) },
            { title: t('downtime.entry.eventAt'), render: (_, i) => formatTime(i.eventAt) },
            { title: t('downtime.entry.state'), render: (_, i) => stateCell(i) },
            { title: t('downtime.entry.hospitalId'), render: (_, i) => enterCell(i) },
            { title: t('downtime.entry.who'), render: (_, i) => whoCell(i) },
            { title: '', render: (_, i) => actionsCell(i) },
          ]}
        />
      )}
    </Space>
  );
}

function EnterCell({ item, editable, onDone, eventAt }: { item: Item; editable: boolean; onDone: () => void; eventAt: string }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(item.hospitalId ?? '');
  if (!editable || (item.state !== 'registered' && item.state !== 'entered')) return <span data-testid="hospital-id">{item.hospitalId ?? '—'}</span>;
  const enter = async () => {
    if (!value.trim()) return;
    try {
      await downtimeApi.enter(item.id, { hospitalId: value.trim(), ...(item.eventAt ? {} : { eventAt: localToIso(eventAt) }) });
      onDone();
    } catch {
      /* reported */
    }
  };
  return (
    <Space.Compact>
      <Input
        size="small"
        style={{ width: 130 }}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onPressEnter={enter}
        placeholder={t('downtime.entry.hospitalIdPlaceholder')}
        data-testid="hospital-id-input"
      />
      <Button size="small" type={item.state === 'registered' ? 'primary' : 'default'} onClick={enter} data-testid="enter-button">
        {item.state === 'registered' ? t('downtime.entry.enter') : t('downtime.entry.correct')}
      </Button>
    </Space.Compact>
  );
}

function RowActions({ item, me, canVerify, canOperate, onDone }: { item: Item; me?: string; canVerify: boolean; canOperate: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const run = async (p: Promise<unknown>) => {
    try {
      await p;
      onDone();
    } catch {
      /* reported */
    }
  };
  return (
    <Space size={4} wrap>
      {canVerify && item.state === 'entered' && (
        <Tooltip title={item.enteredBy === me ? t('downtime.entry.secondPerson') : undefined}>
          <Button size="small" type="primary" disabled={item.enteredBy === me} onClick={() => run(downtimeApi.verify(item.id))} data-testid="verify-button">
            {t('downtime.entry.verify')}
          </Button>
        </Tooltip>
      )}
      {canOperate && item.chargeState === 'pending' && item.state !== 'void' && (
        <Button size="small" onClick={() => run(downtimeApi.charge(item.id, 'charged'))} data-testid="charge-button">
          {t('downtime.entry.charged')}
        </Button>
      )}
      {canOperate && item.miStatus && item.state !== 'void' && (
        <Select
          size="small"
          style={{ width: 120 }}
          value={item.miStatus}
          onChange={(v) => run(downtimeApi.mi(item.id, v))}
          data-testid="mi-status"
          options={MI_STATUSES.map((m) => ({ value: m, label: t(`downtime.mi.${m}`) }))}
        />
      )}
      {canOperate && (item.state === 'registered' || item.state === 'entered') && (
        <Button
          size="small"
          danger
          onClick={() => {
            const r = window.prompt(t('downtime.entry.voidReason'));
            if (r?.trim()) void run(downtimeApi.voidItem(item.id, r));
          }}
        >
          {t('downtime.entry.void')}
        </Button>
      )}
    </Space>
  );
}
