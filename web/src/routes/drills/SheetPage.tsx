// /drills/runs/:id/sheet: the observers' evaluation sheet (观察评核表), phone first — per group, each step with
// what the system recorded, three big buttons (done / late / missed), a note, and a photo from the camera.
import { Alert, Button, Card, Collapse, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drillsApi, type ObserverSheet, photoUrl, uploadPhoto } from '../../api/drills';
import { DrillBadge } from '../../components/DrillBadge';
import { Link } from '../../components/Link';
import { useLang } from '../../hooks/useLang';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';
import { useProblemText } from '../../lib/problem';

type Step = ObserverSheet['groups'][number]['steps'][number];
const OUTCOMES = ['done', 'late', 'missed'] as const;
const RECORDED_COLOUR: Record<Step['recorded'], string> = { done: 'green', late: 'orange', missed: 'red', open: 'default' };

export default function SheetPage({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const problem = useProblemText();
  const sheet = useResource(() => drillsApi.sheet(runId), [runId]);
  if (!sheet.data) return sheet.error ? <Alert type="error" message={problem(sheet.error)} /> : null;
  const groups = sheet.data.groups.filter((g) => g.steps.length > 0);
  return (
    <div data-testid="drill-sheet" style={{ maxWidth: 720 }}>
      <Typography.Title level={4}>
        <DrillBadge />
        {t('drills.sheetTitle')}
      </Typography.Title>
      <Link to={`/drills/runs/${runId}`}>{t('drills.backToRun')}</Link>
      {groups.length === 0 && <Alert style={{ marginTop: 8 }} type="info" message={t('drills.noSteps')} />}
      <Collapse
        style={{ marginTop: 8 }}
        defaultActiveKey={groups.map((g) => g.id)}
        items={groups.map((g) => ({
          key: g.id,
          label: `${pick(g.name)}（${g.steps.filter((s) => s.mark).length}/${g.steps.length}）`,
          children: (
            <Space direction="vertical" style={{ width: '100%' }}>
              {g.steps.map((s) => (
                <StepCard key={s.key} runId={runId} step={s} onSaved={sheet.reload} />
              ))}
            </Space>
          ),
        }))}
      />
    </div>
  );
}

function StepCard({ runId, step, onSaved }: { runId: string; step: Step; onSaved: () => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { session } = useSession();
  const problem = useProblemText();
  const [note, setNote] = useState(step.mark?.note ?? '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const save = async (outcome: (typeof OUTCOMES)[number]) => {
    if (note.length > 2000) return setError(t('drills.noteTooLong'));
    setBusy(true);
    try {
      await drillsApi.mark(runId, { stepKey: step.key, outcome, note: note.trim() || null });
      setError(undefined);
      onSaved();
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };
  const photo = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > 5 * 1024 * 1024) return setError(t('drills.photoTooLarge'));
    setBusy(true);
    try {
      await uploadPhoto(runId, step.key, file, session?.csrfToken);
      setError(undefined);
      onSaved();
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" data-testid={`step-${step.key}`} data-marked={step.mark?.outcome ?? ''}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <div style={{ overflowWrap: 'anywhere' }}>
          <Tag>{t(`drills.stepKind.${step.kind}`)}</Tag>
          {pick(step.text)}
        </div>
        <div>
          <Tag color={RECORDED_COLOUR[step.recorded]}>{t(`drills.recorded.${step.recorded}`)}</Tag>
          {step.mark && (
            <Typography.Text type="secondary" data-testid="step-mark">
              {t('drills.markedBy', { outcome: t(`drills.outcome.${step.mark.outcome}`), who: step.mark.markedBy, at: formatTime(step.mark.markedAt) })}
            </Typography.Text>
          )}
        </div>
        <Input.TextArea rows={2} placeholder={t('drills.notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 8 }}>
          {OUTCOMES.map((o) => (
            <Button key={o} size="large" block loading={busy} type={step.mark?.outcome === o ? 'primary' : 'default'} danger={o === 'missed'} onClick={() => save(o)} data-testid={`mark-${o}`}>
              {t(`drills.outcome.${o}`)}
            </Button>
          ))}
        </div>
        {step.mark && (
          <label style={{ display: 'block' }}>
            <span className="ant-btn ant-btn-default ant-btn-lg" style={{ width: '100%', display: 'inline-flex', justifyContent: 'center' }}>
              {step.mark.photo ? t('drills.replacePhoto') : t('drills.takePhoto')}
            </span>
            <input type="file" accept="image/jpeg,image/png,image/webp" capture="environment" style={{ display: 'none' }} data-testid="photo-input" onChange={(e) => photo(e.target.files?.[0])} />
          </label>
        )}
        {step.mark?.photo && (
          <img src={`${photoUrl(step.mark.id)}?v=${encodeURIComponent(step.mark.markedAt)}`} alt={t('drills.photo')} style={{ maxWidth: '100%', maxHeight: 160, objectFit: 'contain' }} />
        )}
        {error && <Alert type="error" message={error} showIcon />}
      </Space>
    </Card>
  );
}
