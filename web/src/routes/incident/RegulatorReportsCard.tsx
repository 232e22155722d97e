// Regulator reports of an incident (issue 16): the national grade (separate from the hospital's L1–L3), every report the
// incident owes an authority with its recipients and a countdown to its deadline, the prefilled draft (DOCX) to
// download, a form to record the submission made outside Lifeline, and the submissions recorded so far.
import { DownloadOutlined, FileDoneOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Card, Form, Input, Modal, Select, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../hooks/useLang';
import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import { type RegulatorReportView, regulatorsApi } from '../../api/regulators';
import { Countdown } from '../../components/Countdown';
import { EmptyNote } from '../../components/EmptyNote';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime, clauseRef } from '../../lib/format';

const MAX_FILE_BYTES = 20 * 1024 * 1024;
const STATE_COLOUR: Record<string, string> = { pending: 'processing', met: 'success', breached: 'error', waived: 'default', ended: 'default' };
const FIELDS = ['submittedAt', 'to', 'reference', 'note', 'file'] as const;

interface FormValues {
  submittedAt: string;
  to: string;
  reference: string;
  note?: string;
}

/** A local date-time for <input type="datetime-local"> (minutes). */
const localInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

const readBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] ?? '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

export function RegulatorReportsCard({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { can } = useSession();
  const { data, error, reload } = useResource(() => regulatorsApi.list(incidentId), [incidentId]);
  const [recording, setRecording] = useState<RegulatorReportView>();
  const [grading, setGrading] = useState(false);
  const reports = data?.reports ?? [];

  const setGrade = async (grade: string | null) => {
    setGrading(true);
    try {
      await api.impact(incidentId, { nationalGrade: grade });
    } catch {
      // the API wrapper has shown the problem
    } finally {
      setGrading(false);
      reload();
    }
  };

  return (
    <Card size="small" title={t('regulators.title')} data-testid="regulator-reports">
      {error !== undefined && !data ? (
        <Alert type="warning" showIcon title={t('regulators.loadFailed')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          <Space wrap data-testid="national-grade">
            <Typography.Text strong>{t('regulators.nationalGrade')}</Typography.Text>
            <Select<string>
              size="small"
              style={{ minWidth: 140 }}
              value={data?.nationalGrade?.grade ?? ''}
              disabled={!can('incident.impact') || grading || !data}
              onChange={(v) => void setGrade(v === '' ? null : v)}
              options={[{ value: '', label: t('regulators.noGrade') }, ...(data?.nationalGrades ?? []).map((g) => ({ value: g, label: t(`regulators.grade.${g}`, g) }))]}
              data-testid="national-grade-select"
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {data?.nationalGrade ? t('regulators.gradedBy', { by: data.nationalGrade.by, at: formatTime(data.nationalGrade.at) }) : t('regulators.gradeHint')}
            </Typography.Text>
          </Space>
          {reports.length === 0 ? (
            <EmptyNote text={t('regulators.none')} testId="regulator-reports-empty" />
          ) : (
            reports.map((r) => <ReportRow key={r.obligationId} incidentId={incidentId} report={r} canSubmit={can('report.submit')} onRecord={() => setRecording(r)} />)
          )}
          {(data?.notStarted.length ?? 0) > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="regulator-reports-not-started">
              {t('regulators.notStarted')}{' '}
              {data!.notStarted.map((r) => t('regulators.ruleTo', { rule: clauseRef(r.ruleId), to: r.recipientNames.map(pick).join(t('tl.listSep')) })).join(t('regulators.listSep'))}
            </Typography.Text>
          )}
        </Space>
      )}
      {recording && (
        <SubmissionModal
          incidentId={incidentId}
          report={recording}
          onClose={(saved) => {
            setRecording(undefined);
            if (saved) reload();
          }}
        />
      )}
    </Card>
  );
}

function ReportRow({ incidentId, report: r, canSubmit, onRecord }: { incidentId: string; report: RegulatorReportView; canSubmit: boolean; onRecord: () => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const open = r.state === 'pending' || (r.state === 'breached' && !r.metAt);
  return (
    <div data-testid="regulator-report" data-rule={r.ruleId} data-state={r.state} style={{ borderTop: '1px solid #f0f0f0', paddingTop: 8 }}>
      <Space wrap size={6}>
        <Tag>{clauseRef(r.ruleId) && <code>{clauseRef(r.ruleId)}</code>}</Tag>
        <Typography.Text strong>{r.recipientNames.map(pick).join(t('tl.listSep'))}</Typography.Text>
        <Tag>{t(`regulators.kind.${r.kind}`)}</Tag>
        <Tag color={STATE_COLOUR[r.state]}>{t(`regulators.state.${r.state}`, r.state)}</Tag>
        {open && r.dueAt && <Countdown at={r.dueAt} />}
        {r.asap && <Typography.Text type="secondary">{t('regulators.asap')}</Typography.Text>}
      </Space>
      <div style={{ fontSize: 12, marginTop: 4 }}>
        <Typography.Text type="secondary">
          {r.dueAt ? t('regulators.due', { at: formatTime(r.dueAt) }) : null}
          {r.metAt ? ` · ${t('regulators.metAt', { at: formatTime(r.metAt), by: r.metBy?.startsWith('token:') ? t('tl.tokenActor') : (r.metBy ?? '') })}` : null}
        </Typography.Text>
      </div>
      <Space wrap size={6} style={{ marginTop: 6 }}>
        <Button size="small" icon={<DownloadOutlined />} href={regulatorsApi.draftUrl(incidentId, r.ruleId)} data-testid="regulator-draft">
          {t('regulators.draft')}
        </Button>
        {canSubmit && (
          <Button size="small" type={open ? 'primary' : 'default'} icon={<FileDoneOutlined />} onClick={onRecord} data-testid="regulator-record">
            {t(open ? 'regulators.record' : 'regulators.recordMore')}
          </Button>
        )}
      </Space>
      {r.submissions.length > 0 && (
        <ul style={{ margin: '6px 0 0', paddingInlineStart: 18, fontSize: 12 }} data-testid="regulator-submissions">
          {r.submissions.map((s) => (
            <li key={s.id}>
              {t('regulators.submission', { at: formatTime(s.submittedAt), to: s.to, reference: s.reference, by: s.submittedBy })} <a href={regulatorsApi.fileUrl(incidentId, s.id)}>{s.file.name}</a>
              {s.note ? <Typography.Text type="secondary">（{s.note}）</Typography.Text> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function SubmissionModal({ incidentId, report, onClose }: { incidentId: string; report: RegulatorReportView; onClose: (saved: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const { pick } = useLang();
  const [form] = Form.useForm<FormValues>();
  const [file, setFile] = useState<File>();
  const [fileError, setFileError] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);

  /** A refusal in the reader's language: the code's sentence, and each named field marked on the form. */
  const showProblem = (err: unknown) => {
    if (!(err instanceof ApiError)) {
      setProblem(t('regulators.error.unknown'));
      return;
    }
    const code = err.problem.code ?? '';
    setProblem(i18n.exists(`regulators.error.${code}`) ? t(`regulators.error.${code}`) : t('regulators.error.unknown'));
    const fields = (err.problem.errors ?? []).map((e) => e.path.split('.')[0]).filter((f): f is (typeof FIELDS)[number] => (FIELDS as readonly string[]).includes(f ?? ''));
    for (const f of fields) {
      if (f === 'file') setFileError(t('regulators.fieldInvalid'));
      else form.setFields([{ name: f, errors: [t('regulators.fieldInvalid')] }]);
    }
  };

  const submit = async (values: FormValues) => {
    if (!file) {
      setFileError(t('regulators.fileRequired'));
      return;
    }
    setSaving(true);
    setProblem(undefined);
    try {
      await regulatorsApi.submit(incidentId, report.ruleId, {
        // this very minute: now (the minute's start may be before an incident detected seconds ago)
        ...(values.submittedAt === localInput(Date.now()) ? {} : { submittedAt: new Date(values.submittedAt).toISOString() }),
        to: values.to,
        reference: values.reference,
        ...(values.note?.trim() ? { note: values.note.trim() } : {}),
        file: { name: file.name, contentType: file.type || 'application/octet-stream', base64: await readBase64(file) },
      });
      onClose(true);
    } catch (err) {
      showProblem(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('regulators.recordTitle', { rule: clauseRef(report.ruleId) })}
      okText={t('regulators.save')}
      cancelText={t('regulators.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="regulator-submit-error" />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ submittedAt: localInput(Date.now()), to: report.recipients[0] ?? '' }}
        onFinish={(v) => void submit(v)}
        data-testid="regulator-submit-form"
      >
        <Form.Item name="submittedAt" label={t('regulators.field.submittedAt')} rules={[{ required: true, message: t('regulators.fieldRequired') }]}>
          <Input type="datetime-local" max={localInput(Date.now())} />
        </Form.Item>
        <Form.Item name="to" label={t('regulators.field.to')} rules={[{ required: true, whitespace: true, message: t('regulators.fieldRequired') }]}>
          <AutoComplete options={report.recipientNames.map((r) => ({ value: r.zh, label: pick(r) }))} />
        </Form.Item>
        <Form.Item name="reference" label={t('regulators.field.reference')} rules={[{ required: true, whitespace: true, message: t('regulators.fieldRequired') }]}>
          <Input maxLength={100} showCount />
        </Form.Item>
        <Form.Item name="note" label={t('regulators.field.note')}>
          <Input.TextArea maxLength={2000} rows={2} />
        </Form.Item>
        <Form.Item label={t('regulators.field.file')} required validateStatus={fileError ? 'error' : undefined} help={fileError}>
          <Upload
            maxCount={1}
            beforeUpload={(f) => {
              if (f.size > MAX_FILE_BYTES) setFileError(t('regulators.fileTooLarge'));
              else {
                setFile(f);
                setFileError(undefined);
              }
              return false; // read here, sent with the form
            }}
            onRemove={() => setFile(undefined)}
          >
            <Button size="small">{t('regulators.chooseFile')}</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
