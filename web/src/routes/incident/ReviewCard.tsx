// The post-incident review of an incident: download the report (DOCX, PDF), write the review (summary, root cause,
// lessons) and track corrective actions (owner from the people directory, due day, overdue highlighted, done).
import { CheckOutlined, DownloadOutlined, EditOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { type CorrectiveAction, downloadReport, type ReportFormat, reviewApi, type ReviewView } from '../../api/review';
import type { Incident } from '../../api/types';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';

const EDIT = 'review.edit';

/** An API error in the UI language, from its code (never the server's English). */
export function useReviewError() {
  const { t, i18n } = useTranslation();
  return (error: unknown): string => {
    if (!(error instanceof ApiError)) return t('review.error.generic', { status: '?' });
    if (error.status === 0) return t('review.error.network');
    const code = error.problem.code;
    if (code === 'VALIDATION_FAILED') {
      const fields = (error.problem.errors ?? []).map((e) => (i18n.exists(`review.field.${e.path}`) ? t(`review.field.${e.path}`) : e.path));
      return t('review.error.VALIDATION_FAILED', { fields: fields.join(t('tl.listSep')) });
    }
    return code && i18n.exists(`review.error.${code}`) ? t(`review.error.${code}`) : t('review.error.generic', { status: error.status });
  };
}

/** The incident's day in Beijing time (due dates may not be earlier). */
const localDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

export function ReviewCard({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const say = useReviewError();
  const editable = can(EDIT);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<ReportFormat | 'save'>();
  const [editing, setEditing] = useState<CorrectiveAction | 'new'>();
  const [form] = Form.useForm<Pick<ReviewView, 'summary' | 'rootCause' | 'lessons'>>();
  const review = useResource(() => reviewApi.review(incident.id), [incident.id]);
  const actions = useResource(() => reviewApi.actions(incident.id), [incident.id]);

  const download = async (format: ReportFormat) => {
    setBusy(format);
    setError(undefined);
    try {
      await downloadReport(incident.id, format, i18n.language === 'en' ? 'en' : 'zh-CN');
    } catch (e) {
      setError(say(e));
    } finally {
      setBusy(undefined);
    }
  };
  const save = async (values: Pick<ReviewView, 'summary' | 'rootCause' | 'lessons'>) => {
    setBusy('save');
    setError(undefined);
    try {
      await reviewApi.saveReview(incident.id, values);
      message.success(t('review.saved'));
      review.reload();
    } catch (e) {
      setError(say(e));
    } finally {
      setBusy(undefined);
    }
  };
  const setState = async (a: CorrectiveAction, state: 'open' | 'done') => {
    setError(undefined);
    try {
      await reviewApi.changeAction(a.id, { state });
      actions.reload();
    } catch (e) {
      setError(say(e));
    }
  };

  const r = review.data;
  const items = actions.data?.items ?? [];
  return (
    <Card
      size="small"
      title={t('review.title')}
      data-testid="review-card"
      extra={
        <Space wrap>
          <Button size="small" icon={<DownloadOutlined />} loading={busy === 'docx'} onClick={() => void download('docx')} data-testid="report-docx">
            {t('review.downloadDocx')}
          </Button>
          <Button size="small" icon={<DownloadOutlined />} loading={busy === 'pdf'} onClick={() => void download('pdf')} data-testid="report-pdf">
            {t('review.downloadPdf')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon closable title={error} onClose={() => setError(undefined)} style={{ marginBottom: 8 }} data-testid="review-error" />}
      {r && editable && (
        <Form form={form} layout="vertical" initialValues={{ summary: r.summary, rootCause: r.rootCause, lessons: r.lessons }} onFinish={save} key={r.updatedAt ?? 'new'}>
          {(['summary', 'rootCause', 'lessons'] as const).map((f) => (
            <Form.Item key={f} name={f} label={t(`review.${f}`)} style={{ marginBottom: 8 }}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={10_000} data-testid={`review-${f}`} />
            </Form.Item>
          ))}
          <Space>
            <Button type="primary" htmlType="submit" loading={busy === 'save'} data-testid="review-save">
              {t('review.save')}
            </Button>
            {r.updatedAt && <Typography.Text type="secondary">{t('review.lastUpdated', { by: r.updatedBy, at: formatTime(r.updatedAt) })}</Typography.Text>}
          </Space>
        </Form>
      )}
      {r && !editable && (
        <div data-testid="review-readonly">
          {(['summary', 'rootCause', 'lessons'] as const).map((f) => (
            <Typography.Paragraph key={f}>
              <Typography.Text strong>{t(`review.${f}`)}：</Typography.Text>
              {r[f] || <Typography.Text type="secondary">{t('review.notWritten')}</Typography.Text>}
            </Typography.Paragraph>
          ))}
        </div>
      )}

      <Space style={{ margin: '12px 0 4px', justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text strong>{t('review.actions')}</Typography.Text>
        {editable && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="ca-add">
            {t('review.addAction')}
          </Button>
        )}
      </Space>
      <Table<CorrectiveAction>
        size="small"
        rowKey="id"
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('review.noActions') }}
        onRow={(a) =>
          ({
            'data-testid': 'corrective-action',
            'data-state': a.state,
            'data-overdue': String(a.overdue),
            style: a.overdue ? { background: '#fff1f0' } : undefined,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('review.actionTitle'), key: 'title', render: (_, a) => a.title },
          { title: t('review.owner'), key: 'owner', render: (_, a) => a.owner.name },
          {
            title: t('review.due'),
            key: 'due',
            render: (_, a) => (
              <Space size={4}>
                <span className="tabular">{a.due}</span>
                {a.overdue && <Tag color="red">{t('review.overdue')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('review.state'),
            key: 'state',
            render: (_, a) =>
              a.state === 'done' ? (
                <Tag color="green" title={a.doneAt ? t('review.doneBy', { by: a.doneBy, at: formatTime(a.doneAt) }) : undefined}>
                  {t('review.done')}
                </Tag>
              ) : (
                <Tag>{t('review.open')}</Tag>
              ),
          },
          ...(editable
            ? [
                {
                  title: '',
                  key: 'do',
                  render: (_: unknown, a: CorrectiveAction) => (
                    <Space size={4}>
                      <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(a)} data-testid="ca-edit">
                        {t('review.edit')}
                      </Button>
                      {a.state === 'open' ? (
                        <Button size="small" icon={<CheckOutlined />} onClick={() => void setState(a, 'done')} data-testid="ca-done">
                          {t('review.markDone')}
                        </Button>
                      ) : (
                        <Button size="small" icon={<UndoOutlined />} onClick={() => void setState(a, 'open')} data-testid="ca-reopen">
                          {t('review.reopen')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <ActionModal
          incident={incident}
          action={editing === 'new' ? undefined : editing}
          onClose={(changed) => {
            setEditing(undefined);
            if (changed) actions.reload();
          }}
        />
      )}
    </Card>
  );
}

interface ActionForm {
  title: string;
  ownerPersonId: string;
  due: string;
  note?: string;
}

function ActionModal({ incident, action, onClose }: { incident: Incident; action?: CorrectiveAction; onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const say = useReviewError();
  const [form] = Form.useForm<ActionForm>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const owners = useResource(() => reviewApi.owners(), [], { live: false });
  const first = localDay(incident.detectedAt);
  const submit = async (v: ActionForm) => {
    setSaving(true);
    setError(undefined);
    try {
      if (action) await reviewApi.changeAction(action.id, { title: v.title, ownerPersonId: v.ownerPersonId, due: v.due, note: v.note?.trim() ? v.note : null });
      else await reviewApi.addAction(incident.id, { title: v.title, ownerPersonId: v.ownerPersonId, due: v.due, ...(v.note?.trim() ? { note: v.note } : {}) });
      onClose(true);
    } catch (e) {
      setError(say(e));
    } finally {
      setSaving(false);
    }
  };
  const required = [{ required: true, message: t('review.required') }];
  return (
    <Modal
      open
      title={t(action ? 'review.editAction' : 'review.addAction')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ id: 'ca-save' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} data-testid="ca-error" />}
      <Form<ActionForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={action ? { title: action.title, ownerPersonId: action.owner.id, due: action.due, note: action.note ?? '' } : { due: undefined }}
      >
        <Form.Item name="title" label={t('review.actionTitle')} rules={[...required, { max: 200 }]}>
          <Input maxLength={200} data-testid="ca-title" />
        </Form.Item>
        <Form.Item name="ownerPersonId" label={t('review.owner')} rules={required}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={owners.loading}
            data-testid="ca-owner"
            options={[
              ...(owners.data?.items ?? []).map((p) => ({ value: p.id, label: p.department ? `${p.name}（${p.department}）` : p.name })),
              ...(action && !owners.data?.items.some((p) => p.id === action.owner.id) ? [{ value: action.owner.id, label: action.owner.name }] : []),
            ]}
          />
        </Form.Item>
        <Form.Item name="due" label={t('review.due')} rules={required}>
          <Input type="date" min={first} data-testid="ca-due" />
        </Form.Item>
        <Form.Item name="note" label={t('review.note')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
