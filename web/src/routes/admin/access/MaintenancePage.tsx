// /admin/maintenance: maintenance windows (system, who set it, why, from–until, state), add one, end one early.
// A window merges alarms, it never drops them: the page says so above the list.
import { Alert, App, Button, Card, Flex, Form, Input, Popconfirm, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessApi, type MaintenanceView } from '../../../api/access';
import { SystemName } from '../../../components/Names';
import { useLang } from '../../../hooks/useLang';
import { usePlan } from '../../../hooks/usePlan';
import { useResource } from '../../../hooks/useResource';
import { formatTime } from '../../../lib/format';
import { AdminFormModal, AdminListPage, Muted, useAdminAction } from './shared';

type WindowState = 'upcoming' | 'active' | 'ended' | 'cancelled';
const STATE_COLOUR: Record<WindowState, string> = { upcoming: 'processing', active: 'warning', ended: 'default', cancelled: 'default' };
const ORDER: Record<WindowState, number> = { active: 0, upcoming: 1, cancelled: 2, ended: 2 };

function stateOf(w: MaintenanceView, now: number): WindowState {
  if (w.cancelledAt && Date.parse(w.cancelledAt) < Date.parse(w.endsAt!)) return 'cancelled';
  if (Date.parse(w.endsAt!) <= now) return 'ended';
  return Date.parse(w.startsAt!) > now ? 'upcoming' : 'active';
}

/** `datetime-local` text ("2026-12-02T18:30") for an instant, in the browser's time zone. */
function localInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (text: string | undefined) => (text ? new Date(text).getTime() : Number.NaN);

export default function MaintenancePage(_props: { path: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { pick } = useLang();
  const { system } = usePlan();
  const windows = useResource(() => accessApi.maintenance().then((r) => r.items), []);
  const act = useAdminAction(windows.reload);
  const [adding, setAdding] = useState(false);
  const now = Date.now();
  const items = (windows.data ?? [])
    .map((w) => ({ w, state: stateOf(w, now) }))
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || (b.w.startsAt ?? '').localeCompare(a.w.startsAt ?? ''))
    .slice(0, 200);

  const cancel = (w: MaintenanceView) => act(() => accessApi.cancelMaintenance(w.id), t('adminAccess.maintenance.cancelled'));

  return (
    <AdminListPage
      section="maintenance"
      prefix="maintenance"
      intro={<Alert type="info" showIcon title={t('adminAccess.maintenance.merge')} data-testid="maintenance-merge-note" />}
      onAdd={() => setAdding(true)}
      resource={windows}
      items={items}
      rowKey={(i) => i.w.id}
      renderCard={({ w, state }) => (
        <Card size="small" data-testid="maintenance-card" data-state={state} styles={{ body: { overflowWrap: 'anywhere' } }}>
          <Flex vertical gap={4}>
            <Flex gap={8} wrap align="center">
              <Typography.Text strong>
                <SystemName id={w.system} />
                {w.component ? ` · ${w.component}` : ''}
              </Typography.Text>
              <Tag color={STATE_COLOUR[state]}>{t(`adminAccess.maintenance.state.${state}`)}</Tag>
            </Flex>
            <Typography.Text>{w.reason}</Typography.Text>
            <Muted>{t('adminAccess.maintenance.range', { from: formatTime(w.startsAt), until: formatTime(w.cancelledAt && w.cancelledAt < w.endsAt! ? w.cancelledAt : w.endsAt) })}</Muted>
            <Muted>{t('adminAccess.maintenance.by', { by: w.createdBy })}</Muted>
            {(state === 'active' || state === 'upcoming') && (
              <div style={{ marginTop: 4 }}>
                <Popconfirm
                  title={t('adminAccess.maintenance.cancelConfirm', { system: pick(system(w.system)?.name) || w.system })}
                  onConfirm={() => void cancel(w)}
                  okButtonProps={{ 'data-testid': 'maintenance-cancel-ok' }}
                >
                  <Button size="small" danger data-testid="maintenance-cancel">
                    {t('adminAccess.maintenance.cancel')}
                  </Button>
                </Popconfirm>
              </div>
            )}
          </Flex>
        </Card>
      )}
    >
      <AddWindowModal
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={(w) => {
          setAdding(false);
          void message.success(t('adminAccess.maintenance.added', { system: pick(system(w.system)?.name) || w.system }));
          windows.reload();
        }}
      />
    </AdminListPage>
  );
}

interface AddValues {
  system?: string;
  component?: string;
  reason?: string;
  startsAt?: string;
  endsAt?: string;
}

function AddWindowModal({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: (w: MaintenanceView) => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const [form] = Form.useForm<AddValues>();
  const labels = {
    system: t('adminAccess.maintenance.system'),
    component: t('adminAccess.maintenance.component'),
    reason: t('adminAccess.maintenance.reason'),
    startsAt: t('adminAccess.maintenance.startsAt'),
    endsAt: t('adminAccess.maintenance.endsAt'),
  };
  const submit = async (v: AddValues) => {
    const starts = fromLocalInput(v.startsAt);
    onAdded(
      await accessApi.addMaintenance({
        system: v.system!,
        ...(v.component?.trim() ? { component: v.component.trim() } : {}),
        reason: v.reason!.trim(),
        ...(Number.isFinite(starts) ? { startsAt: new Date(starts).toISOString() } : {}),
        endsAt: new Date(fromLocalInput(v.endsAt)).toISOString(),
      }),
    );
  };
  return (
    <AdminFormModal
      open={open}
      prefix="maintenance"
      title={t('adminAccess.maintenance.addTitle')}
      form={form}
      labels={labels}
      onOpen={() => form.setFieldsValue({ endsAt: localInput(Date.now() + 2 * 3600_000) })}
      submit={submit}
      onClose={onClose}
    >
      <Form.Item name="system" label={labels.system} required rules={[{ required: true, message: t('adminAccess.common.required', { field: labels.system }) }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={(plan?.systems ?? []).map((s) => ({ value: s.id, label: pick(s.name) }))} data-testid="maintenance-system" />
      </Form.Item>
      <Form.Item name="component" label={labels.component} rules={[{ max: 200, message: t('adminAccess.common.tooLong', { field: labels.component, max: 200 }) }]}>
        <Input data-testid="maintenance-component" />
      </Form.Item>
      <Form.Item
        name="reason"
        label={labels.reason}
        required
        rules={[
          { required: true, whitespace: true, message: t('adminAccess.common.required', { field: labels.reason }) },
          { max: 2000, message: t('adminAccess.common.tooLong', { field: labels.reason, max: 2000 }) },
        ]}
      >
        <Input.TextArea rows={2} data-testid="maintenance-reason" />
      </Form.Item>
      <Form.Item name="startsAt" label={labels.startsAt}>
        <Input type="datetime-local" data-testid="maintenance-starts" />
      </Form.Item>
      <Form.Item
        name="endsAt"
        label={labels.endsAt}
        required
        dependencies={['startsAt']}
        rules={[
          { required: true, message: t('adminAccess.common.required', { field: labels.endsAt }) },
          {
            validator: (_: unknown, v?: string) => {
              const ends = fromLocalInput(v);
              if (!v) return Promise.resolve();
              if (!Number.isFinite(ends)) return Promise.reject(new Error(t('adminAccess.common.invalid', { field: labels.endsAt })));
              if (ends <= Date.now()) return Promise.reject(new Error(t('adminAccess.maintenance.endsAtPast')));
              const starts = fromLocalInput(form.getFieldValue('startsAt'));
              if (Number.isFinite(starts) && ends <= starts) return Promise.reject(new Error(t('adminAccess.maintenance.endsBeforeStart')));
              return Promise.resolve();
            },
          },
        ]}
      >
        <Input type="datetime-local" data-testid="maintenance-ends" />
      </Form.Item>
    </AdminFormModal>
  );
}
