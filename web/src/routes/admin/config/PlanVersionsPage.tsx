// /admin/plan: the running plan and whether an activated version waits for the next start; upload a new version
// (a file or pasted text), which the server checks as `lifeline plan check` does; each version's findings and its
// diff against the active plan; activation with a reason (recorded with the administrator's name); the record.
import { Alert, App, Button, Card, Flex, Input, List, Modal, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { planVersionsApi, type PlanVersionDetail, type PlanVersionItem, type PlanVersionListView } from '../../../api/config';
import { EmptyNote } from '../../../components/EmptyNote';
import { useResource } from '../../../hooks/useResource';
import { formatTime } from '../../../lib/format';
import { useProblemText } from '../../../lib/problem';
import { PlanDiffView } from './PlanDiffView';
import { PlanFindingText } from '../../../components/PlanFindingText';

const STATE_COLOR: Record<string, string> = { running: 'green', pending: 'orange', rejected: 'red', ready: 'blue', previous: 'default' };

export default function PlanVersionsPage(_props: { path: string }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const list = useResource(() => planVersionsApi.list(), []);
  const [open, setOpen] = useState<PlanVersionDetail | null>(null);
  const { message } = App.useApp();

  const show = async (id: string) => {
    try {
      setOpen(await planVersionsApi.get(id));
    } catch (err) {
      void message.error(problemText(err));
    }
  };

  return (
    <Flex vertical gap={12} data-testid="admin-PlanVersionsPage">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('adminConfig.plan.title')}
      </Typography.Title>
      {list.error !== undefined && !list.data && <Typography.Text type="danger">{problemText(list.error)}</Typography.Text>}
      {list.data && <PlanStatusCard status={list.data.status} />}
      <UploadCard
        onUploaded={(detail) => {
          list.reload();
          setOpen(detail);
        }}
      />
      {open && (
        <VersionDetail
          detail={open}
          onClose={() => setOpen(null)}
          onActivated={() => {
            list.reload();
            void show(open.id);
          }}
        />
      )}
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('adminConfig.plan.versions')}
      </Typography.Title>
      <List
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        rowKey="id"
        locale={{ emptyText: <EmptyNote text={t('adminConfig.plan.noVersions')} /> }}
        renderItem={(v) => (
          <List.Item>
            <VersionRow version={v} onShow={() => void show(v.id)} />
          </List.Item>
        )}
      />
      {list.data && list.data.activations.length > 0 && <Activations activations={list.data.activations} />}
    </Flex>
  );
}

function PlanStatusCard({ status }: { status: PlanVersionListView['status'] }) {
  const { t } = useTranslation();
  const running = status.running.versionSeq !== null ? t('adminConfig.plan.runningVersion', { seq: status.running.versionSeq }) : t(`adminConfig.plan.origin.${status.running.origin}`);
  return (
    <Card size="small" data-testid="plan-status">
      <Flex vertical gap={6}>
        <Typography.Text>
          {t('adminConfig.plan.running')}：<strong>{running}</strong>
        </Typography.Text>
        {status.pending && status.active && (
          <Alert
            type="warning"
            showIcon
            data-testid="plan-pending"
            message={t('adminConfig.plan.pending', { seq: status.active.versionSeq, name: status.active.actor, at: formatTime(status.active.at) })}
          />
        )}
      </Flex>
    </Card>
  );
}

function UploadCard({ onUploaded }: { onUploaded: (detail: PlanVersionDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const upload = async () => {
    setError(undefined);
    if (!text.trim()) {
      setError(t('adminConfig.plan.emptyText'));
      return;
    }
    setBusy(true);
    try {
      const detail = await planVersionsApi.upload(text, fileName);
      void message.success(t(detail.errors > 0 ? 'adminConfig.plan.uploadedWithErrors' : 'adminConfig.plan.uploaded', { seq: detail.seq, count: detail.errors }));
      setText('');
      setFileName(undefined);
      onUploaded(detail);
    } catch (err) {
      setError(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('adminConfig.plan.upload')}>
      <Flex vertical gap={8}>
        <Typography.Text type="secondary">{t('adminConfig.plan.uploadHint')}</Typography.Text>
        <label style={{ display: 'inline-flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
          <span>{t('adminConfig.plan.chooseFile')}</span>
          <input
            type="file"
            accept=".yaml,.yml,text/yaml,text/plain"
            data-testid="plan-file"
            style={{ maxWidth: '100%' }}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              void file.text().then((content) => {
                setText(content);
                setFileName(file.name);
              });
              e.target.value = '';
            }}
          />
        </label>
        <Input.TextArea
          rows={6}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('adminConfig.plan.pastePlaceholder')}
          data-testid="plan-text"
          style={{ fontFamily: 'monospace' }}
        />
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
        <Flex>
          <Button type="primary" loading={busy} onClick={() => void upload()} data-testid="plan-upload">
            {t('adminConfig.plan.check')}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}

function VersionRow({ version, onShow }: { version: PlanVersionItem; onShow: () => void }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={4} style={{ width: '100%' }} data-testid={`plan-version-${version.seq}`}>
      <Flex gap={6} wrap align="center">
        <strong>{t('adminConfig.plan.versionName', { seq: version.seq })}</strong>
        <Tag color={STATE_COLOR[version.state]} data-testid="plan-version-state" data-state={version.state}>
          {t(`adminConfig.plan.state.${version.state}`)}
        </Tag>
        <Typography.Text type="secondary">{t('adminConfig.plan.checkCounts', { errors: version.errors, warnings: version.warnings })}</Typography.Text>
      </Flex>
      <Typography.Text type="secondary">{t('adminConfig.plan.uploadedBy', { name: version.uploadedBy, at: formatTime(version.uploadedAt) })}</Typography.Text>
      {version.activatedBy && version.activatedAt && (
        <Typography.Text type="secondary">{t('adminConfig.plan.activatedBy', { name: version.activatedBy, at: formatTime(version.activatedAt) })}</Typography.Text>
      )}
      <Flex>
        <Button size="small" onClick={onShow} data-testid="plan-version-show">
          {t('adminConfig.plan.show')}
        </Button>
      </Flex>
    </Flex>
  );
}

function VersionDetail({ detail, onClose, onActivated }: { detail: PlanVersionDetail; onClose: () => void; onActivated: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const canActivate = detail.errors === 0 && (detail.state === 'ready' || detail.state === 'previous');
  const against = detail.against.versionSeq !== null ? t('adminConfig.plan.versionName', { seq: detail.against.versionSeq }) : t(`adminConfig.plan.origin.${detail.against.origin}`);

  const activate = async () => {
    if (!reason.trim()) {
      setReasonError(t('adminConfig.plan.reasonRequired'));
      return;
    }
    setBusy(true);
    try {
      await planVersionsApi.activate(detail.id, reason.trim());
      void message.success(t('adminConfig.plan.activated', { seq: detail.seq }));
      setAsking(false);
      setReason('');
      onActivated();
    } catch (err) {
      setReasonError(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      data-testid="plan-detail"
      title={t('adminConfig.plan.detailTitle', { seq: detail.seq })}
      extra={
        <Button size="small" onClick={onClose}>
          {t('adminConfig.plan.close')}
        </Button>
      }
    >
      <Flex vertical gap={10}>
        <Flex gap={6} wrap align="center">
          <Tag color={STATE_COLOR[detail.state]}>{t(`adminConfig.plan.state.${detail.state}`)}</Tag>
          <Typography.Text>{t('adminConfig.plan.checkCounts', { errors: detail.errors, warnings: detail.warnings })}</Typography.Text>
        </Flex>
        {detail.findings.length > 0 && (
          <Flex vertical gap={4} data-testid="plan-findings">
            <Typography.Text strong>{t('adminConfig.plan.findings')}</Typography.Text>
            {detail.findings.map((f) => (
              <Flex key={`${f.line ?? 0}:${f.column ?? 0}:${f.path}:${f.message}`} gap={6} wrap align="baseline" data-testid="plan-finding">
                <Tag color={f.severity === 'warning' ? 'orange' : 'red'}>{t(f.severity === 'warning' ? 'adminConfig.plan.warning' : 'adminConfig.plan.error')}</Tag>
                <span>{f.line ? t('adminConfig.plan.at', { line: f.line, column: f.column ?? 1 }) : t('adminConfig.plan.atDocument')}</span>
                <PlanFindingText finding={f} />
              </Flex>
            ))}
          </Flex>
        )}
        <Typography.Text strong>{t('adminConfig.plan.diffAgainst', { against })}</Typography.Text>
        <PlanDiffView diff={detail.diff} />
        {detail.state === 'pending' || detail.state === 'running' ? (
          <Typography.Text type="secondary">{t(`adminConfig.plan.isState.${detail.state}`)}</Typography.Text>
        ) : (
          <Flex vertical gap={4}>
            <Flex>
              <Button type="primary" disabled={!canActivate} onClick={() => setAsking(true)} data-testid="plan-activate">
                {t('adminConfig.plan.activate')}
              </Button>
            </Flex>
            {!canActivate && <Typography.Text type="danger">{t('adminConfig.plan.cannotActivate')}</Typography.Text>}
            {canActivate && <Typography.Text type="secondary">{t('adminConfig.plan.takesEffect')}</Typography.Text>}
          </Flex>
        )}
      </Flex>
      <Modal
        open={asking}
        destroyOnHidden
        title={t('adminConfig.plan.activateTitle', { seq: detail.seq })}
        onCancel={() => setAsking(false)}
        onOk={() => void activate()}
        okText={t('adminConfig.plan.activate')}
        cancelText={t('adminConfig.plan.cancel')}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'plan-activate-confirm' } as never}
      >
        <Flex vertical gap={6}>
          <Typography.Text>{t('adminConfig.plan.takesEffect')}</Typography.Text>
          <Input.TextArea
            rows={3}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setReasonError(undefined);
            }}
            placeholder={t('adminConfig.plan.reasonPlaceholder')}
            data-testid="plan-activate-reason"
          />
          {reasonError && <Typography.Text type="danger">{reasonError}</Typography.Text>}
        </Flex>
      </Modal>
    </Card>
  );
}

function Activations({ activations }: { activations: PlanVersionListView['activations'] }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('adminConfig.plan.record')} data-testid="plan-activations">
      <Flex vertical gap={6}>
        {activations.map((a) => (
          <Typography.Text key={a.seq}>{t('adminConfig.plan.recordLine', { at: formatTime(a.at), name: a.actor, seq: a.versionSeq ?? '?', reason: a.reason })}</Typography.Text>
        ))}
      </Flex>
    </Card>
  );
}
