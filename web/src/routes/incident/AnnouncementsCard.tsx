// Public announcements of an incident (issue 16): drafts prepared from the plan's templates, edited and approved by the
// publicity lead (批准并发布, with a confirmation), then each channel's state (status page, website, WeChat, SMS, printed
// notice) with a retry, and the printable notice (A4/A3). Refusals are shown in the reader's language from their codes.
import { FilePdfOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { type AnnouncementView, announcementsApi, type DeliveryView } from '../../api/announcements';
import { EmptyNote } from '../../components/EmptyNote';
import { useLang } from '../../hooks/useLang';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';
import { useProblemText as useAppProblemText } from '../../lib/problem';
import { actorLabel } from '../../lib/timeline';

const CHANNELS = ['status_page', 'website', 'wechat_oa', 'sms', 'onsite_notice'] as const;
const STATE_COLOUR: Record<string, string> = { draft: 'gold', published: 'green', withdrawn: 'default' };
const DELIVERY_COLOUR: Record<string, string> = { pending: 'processing', sending: 'processing', sent: 'success', failed: 'error', skipped: 'default' };
const FIELDS = ['titleZh', 'bodyZh', 'titleEn', 'bodyEn', 'expectedRecoveryAt', 'channels'] as const;
/** Server field paths → form fields. */
const FIELD_OF: Record<string, (typeof FIELDS)[number]> = {
  'title.zh': 'titleZh',
  'body.zh': 'bodyZh',
  'title.en': 'titleEn',
  'body.en': 'bodyEn',
  expectedRecoveryAt: 'expectedRecoveryAt',
  channels: 'channels',
};

interface FormValues {
  titleZh: string;
  bodyZh: string;
  titleEn?: string;
  bodyEn?: string;
  expectedRecoveryAt?: string;
  channels: string[];
}

/** A local date-time for <input type="datetime-local"> (minutes), and back to an ISO instant. */
const localInput = (iso: string | null) => {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string | undefined) => (value ? new Date(value).toISOString() : null);

/** The sentence of a refusal: the announcement's own wording of its code, else the app's (lib/problem.ts). */
function useProblemText() {
  const { t, i18n } = useTranslation();
  const appText = useAppProblemText();
  return (err: unknown) => {
    const code = err instanceof ApiError ? (err.problem.code ?? '') : '';
    return i18n.exists(`announcements.error.${code}`) ? t(`announcements.error.${code}`) : appText(err);
  };
}

export function AnnouncementsCard({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const problemText = useProblemText();
  const { data, error, reload } = useResource(() => announcementsApi.list(incidentId), [incidentId]);
  const [editing, setEditing] = useState<AnnouncementView>();
  const [withdrawing, setWithdrawing] = useState<AnnouncementView>();
  const [problem, setProblem] = useState<string>();
  const manage = can('publicity.manage');

  const run = async (work: () => Promise<unknown>) => {
    setProblem(undefined);
    try {
      await work();
    } catch (err) {
      setProblem(problemText(err));
    } finally {
      reload();
    }
  };

  return (
    <Card
      size="small"
      title={t('announcements.title')}
      data-testid="announcements"
      extra={
        manage && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => void run(() => announcementsApi.createUpdate(incidentId))} data-testid="announcement-new-update">
            {t('announcements.newUpdate')}
          </Button>
        )
      }
    >
      {problem && <Alert type="error" showIcon title={problem} closable onClose={() => setProblem(undefined)} style={{ marginBottom: 8 }} data-testid="announcement-problem" />}
      {error !== undefined && !data ? (
        <Alert type="warning" showIcon title={t('announcements.loadFailed')} />
      ) : (data?.items.length ?? 0) === 0 ? (
        <EmptyNote text={t('announcements.none')} testId="announcements-empty" />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          {data!.items.map((a) => (
            <AnnouncementRow
              key={a.id}
              a={a}
              manage={manage}
              onEdit={() => setEditing(a)}
              onApprove={() => run(() => announcementsApi.approve(a.id, a.revision))}
              onRetry={(channel) => run(() => announcementsApi.retry(a.id, channel))}
              onWithdraw={() => setWithdrawing(a)}
            />
          ))}
        </Space>
      )}
      {withdrawing && (
        <WithdrawModal
          a={withdrawing}
          onClose={(done) => {
            setWithdrawing(undefined);
            if (done) reload();
          }}
        />
      )}
      {editing && (
        <EditModal
          a={editing}
          onClose={(saved) => {
            setEditing(undefined);
            if (saved) reload();
          }}
        />
      )}
    </Card>
  );
}

function AnnouncementRow({
  a,
  manage,
  onEdit,
  onApprove,
  onRetry,
  onWithdraw,
}: {
  a: AnnouncementView;
  manage: boolean;
  onEdit: () => void;
  onApprove: () => Promise<void>;
  onRetry: (channel: string) => Promise<void>;
  onWithdraw: () => void;
}) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const [busy, setBusy] = useState(false);
  const draft = a.state === 'draft';
  const approve = async () => {
    setBusy(true);
    await onApprove();
    setBusy(false);
  };
  return (
    <div data-testid="announcement" data-id={a.id} data-state={a.state} data-kind={a.kind} data-rule={a.ruleId ?? ''} style={{ borderTop: '1px solid #f0f0f0', paddingTop: 8 }}>
      <Space wrap size={6}>
        <Tag color={STATE_COLOUR[a.state]} data-testid="announcement-state">
          {t(`announcements.state.${a.state}`)}
        </Tag>
        <Tag>{t(`announcements.kind.${a.kind}`)}</Tag>
        {a.ruleId && <Tag>{t('announcements.forRule', { rule: a.ruleId })}</Tag>}
      </Space>
      <Typography.Title level={5} style={{ margin: '6px 0 4px' }} data-testid="announcement-title">
        {pick({ zh: a.preview.title.zh, en: a.preview.title.en ?? a.preview.title.zh })}
      </Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4, fontSize: 13 }} data-testid="announcement-body" ellipsis={draft ? false : { rows: 4, expandable: true }}>
        {pick({ zh: a.preview.body.zh, en: a.preview.body.en ?? a.preview.body.zh })}
      </Typography.Paragraph>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {a.services.length > 0 && `${t('announcements.services', { names: a.services.map((s) => pick(s.name)).join(t('tl.listSep')) })} · `}
        {a.expectedRecoveryAt ? t('announcements.expected', { at: formatTime(a.expectedRecoveryAt) }) : t('announcements.expectedUnknown')}
        {a.approvedAt && ` · ${t('announcements.approvedBy', { by: a.approvedBy ? actorLabel(a.approvedBy, t) : '', at: formatTime(a.approvedAt) })}`}
        {a.withdrawnAt && ` · ${t('announcements.withdrawnBy', { by: a.withdrawnBy ? actorLabel(a.withdrawnBy, t) : '', at: formatTime(a.withdrawnAt), reason: a.withdrawReason ?? '' })}`}
      </Typography.Text>
      {draft ? (
        <div style={{ marginTop: 6 }}>
          <Space wrap size={4} style={{ marginBottom: 6 }}>
            <Typography.Text style={{ fontSize: 12 }}>{t('announcements.channels')}:</Typography.Text>
            {a.channels.map((c) => (
              <Tag key={c} color={a.unconfigured.includes(c) ? 'default' : 'blue'}>
                {t(`announcements.channel.${c}`)}
                {a.unconfigured.includes(c) ? `（${t('announcements.notConfigured')}）` : ''}
              </Tag>
            ))}
          </Space>
          {manage && (
            <Space wrap size={6}>
              <Button size="small" onClick={onEdit} data-testid="announcement-edit">
                {t('announcements.edit')}
              </Button>
              <Popconfirm
                title={t('announcements.approveConfirm')}
                okText={t('announcements.approveOk')}
                cancelText={t('announcements.cancel')}
                onConfirm={() => approve()}
                okButtonProps={{ 'data-testid': 'announcement-approve-confirm' } as never}
              >
                <Button size="small" type="primary" loading={busy} data-testid="announcement-approve">
                  {t('announcements.approve')}
                </Button>
              </Popconfirm>
            </Space>
          )}
        </div>
      ) : (
        <ul style={{ margin: '6px 0 0', paddingInlineStart: 18, fontSize: 12 }} data-testid="announcement-deliveries">
          {a.deliveries.map((d) => (
            <DeliveryLine key={d.channel} d={d} manage={manage && a.state === 'published'} onRetry={() => onRetry(d.channel)} />
          ))}
        </ul>
      )}
      <Space wrap size={6} style={{ marginTop: 6 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <FilePdfOutlined /> {t('announcements.notice')}
        </Typography.Text>
        {(['A4', 'A3'] as const).map((size) => (
          <a key={size} href={announcementsApi.noticeUrl(a.id, size)} target="_blank" rel="noreferrer" data-testid={`announcement-notice-${size}`}>
            {size}
          </a>
        ))}
        {manage && a.state === 'published' && (
          <Button size="small" danger onClick={onWithdraw} data-testid="announcement-withdraw">
            {t('announcements.withdraw')}
          </Button>
        )}
      </Space>
    </div>
  );
}

function DeliveryLine({ d, manage, onRetry }: { d: DeliveryView; manage: boolean; onRetry: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const code = d.lastError?.split(':')[0] ?? '';
  const reason = d.lastError ? (i18n.exists(`announcements.reason.${code}`) ? t(`announcements.reason.${code}`) : d.lastError) : null;
  return (
    <li data-testid="announcement-delivery" data-channel={d.channel} data-state={d.state}>
      {t(`announcements.channel.${d.channel}`)}{' '}
      <Tag color={DELIVERY_COLOUR[d.state]} style={{ marginInlineEnd: 4 }}>
        {t(`announcements.delivery.${d.state}`)}
      </Tag>
      {d.state === 'sent' && d.sentAt && <Typography.Text type="secondary">{formatTime(d.sentAt)}</Typography.Text>}
      {reason && <Typography.Text type={d.state === 'failed' ? 'danger' : 'secondary'}> {reason}</Typography.Text>}
      {d.state === 'failed' && d.attempts > 0 && <Typography.Text type="secondary"> · {t('announcements.attempts', { n: d.attempts })}</Typography.Text>}
      {d.state === 'failed' && d.nextAt && <Typography.Text type="secondary"> · {t('announcements.nextTry', { at: formatTime(d.nextAt) })}</Typography.Text>}
      {manage && (d.state === 'failed' || (d.state === 'skipped' && code !== 'WITHDRAWN')) && (
        <Button size="small" type="link" icon={<ReloadOutlined />} onClick={() => void onRetry()} data-testid="announcement-retry">
          {t('announcements.retry')}
        </Button>
      )}
    </li>
  );
}

function EditModal({ a, onClose }: { a: AnnouncementView; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string>();
  const save = async (v: FormValues) => {
    setSaving(true);
    setProblem(undefined);
    try {
      await announcementsApi.edit(a.id, {
        title: { zh: v.titleZh, en: v.titleEn?.trim() ? v.titleEn : null },
        body: { zh: v.bodyZh, en: v.bodyEn?.trim() ? v.bodyEn : null },
        expectedRecoveryAt: fromLocalInput(v.expectedRecoveryAt),
        channels: v.channels,
        revision: a.revision,
      });
      onClose(true);
    } catch (err) {
      setProblem(problemText(err));
      const issues = err instanceof ApiError ? (err.problem.errors ?? []) : [];
      const fields = [...new Set(issues.map((i) => FIELD_OF[i.path] ?? FIELD_OF[i.path.split('.')[0] ?? '']).filter((f): f is (typeof FIELDS)[number] => !!f))];
      form.setFields(fields.map((name) => ({ name, errors: [t('announcements.form.invalid')] })));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('announcements.edit')}
      okText={t('announcements.save')}
      cancelText={t('announcements.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      width={720}
      okButtonProps={{ 'data-testid': 'announcement-save' } as never}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 8 }} data-testid="announcement-edit-problem" />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void save(v)}
        initialValues={{ titleZh: a.title.zh, bodyZh: a.body.zh, titleEn: a.title.en ?? '', bodyEn: a.body.en ?? '', expectedRecoveryAt: localInput(a.expectedRecoveryAt), channels: a.channels }}
      >
        <Form.Item name="titleZh" label={t('announcements.form.titleZh')} rules={[{ required: true, whitespace: true, message: t('announcements.form.required') }]}>
          <Input maxLength={200} data-testid="announcement-title-zh" />
        </Form.Item>
        <Form.Item name="bodyZh" label={t('announcements.form.bodyZh')} rules={[{ required: true, whitespace: true, message: t('announcements.form.required') }]}>
          <Input.TextArea autoSize={{ minRows: 5, maxRows: 14 }} maxLength={5000} data-testid="announcement-body-zh" />
        </Form.Item>
        <Form.Item name="expectedRecoveryAt" label={t('announcements.form.expectedRecoveryAt')} extra={t('announcements.form.expectedHint')}>
          <Input type="datetime-local" style={{ maxWidth: 260 }} data-testid="announcement-expected" />
        </Form.Item>
        <Form.Item name="channels" label={t('announcements.channels')} rules={[{ required: true, type: 'array', min: 1, message: t('announcements.error.ANNOUNCEMENT_NO_CHANNELS') }]}>
          <Checkbox.Group
            options={CHANNELS.map((c) => ({ value: c, label: `${t(`announcements.channel.${c}`)}${a.unconfigured.includes(c) ? `（${t('announcements.notConfigured')}）` : ''}` }))}
            data-testid="announcement-channels"
          />
        </Form.Item>
        <Form.Item name="titleEn" label={t('announcements.form.titleEn')}>
          <Input maxLength={200} data-testid="announcement-title-en" />
        </Form.Item>
        <Form.Item name="bodyEn" label={t('announcements.form.bodyEn')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} data-testid="announcement-body-en" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Withdrawing a published announcement takes it off the status page; the reason is kept with it (and required). */
function WithdrawModal({ a, onClose }: { a: AnnouncementView; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string>();
  const submit = async ({ reason }: { reason: string }) => {
    setSaving(true);
    setProblem(undefined);
    try {
      await announcementsApi.withdraw(a.id, reason);
      onClose(true);
    } catch (err) {
      setProblem(problemText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      destroyOnHidden
      title={t('announcements.withdrawTitle')}
      okText={t('announcements.withdrawOk')}
      cancelText={t('announcements.cancel')}
      okButtonProps={{ danger: true, loading: saving, 'data-testid': 'announcement-withdraw-confirm' } as never}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
    >
      <Typography.Paragraph type="secondary">{t('announcements.withdrawHint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 8 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="reason" label={t('announcements.withdrawReason')} rules={[{ required: true, whitespace: true, message: t('announcements.withdrawReasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="announcement-withdraw-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
