// Patient feedback sent from the public status page about this incident (GET /incidents/:id/feedback), for the
// publicity group (publicity.manage): each message with its service and contact, and an answer box; the answer is
// recorded with who and when (POST /status/feedback/:id/answer) and appears on the incident's timeline.
import { Alert, Button, Card, Input, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post } from '../../api/client';
import { EmptyNote } from '../../components/EmptyNote';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';
import { actorLabel } from '../../lib/timeline';

/** One message as GET /api/v1/incidents/:id/feedback lists it (src/publicity/status/feedback.ts FeedbackItem). */
interface FeedbackItem {
  id: string;
  incidentId: string | null;
  service: string | null;
  message: string;
  contact: string | null;
  lang: 'zh' | 'en';
  createdAt: string;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
}

export function FeedbackCard({ incidentId }: { incidentId: string }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const manage = can('publicity.manage');
  const { data, error, reload } = useResource(
    () => (manage ? get<{ items: FeedbackItem[] }>(`/incidents/${encodeURIComponent(incidentId)}/feedback`, { quiet: true }).then((r) => r.items) : Promise.resolve([])),
    [incidentId, manage],
  );
  if (!manage) return null;
  const items = data ?? [];
  const open = items.filter((f) => f.answeredAt === null).length;
  const service = (id: string | null) => (id === null ? t('feedback.anyService') : i18n.exists(`feedback.service.${id}`) ? t(`feedback.service.${id}`) : id);

  return (
    <Card size="small" data-testid="feedback-card" title={t('feedback.title')} extra={open > 0 ? <Tag color="orange">{t('feedback.open', { count: open })}</Tag> : null}>
      {error !== undefined && items.length === 0 ? (
        <Alert type="warning" showIcon title={t('feedback.loadFailed')} />
      ) : items.length === 0 ? (
        <EmptyNote text={t('feedback.empty')} testId="feedback-empty" />
      ) : (
        <List
          dataSource={items}
          rowKey="id"
          renderItem={(f) => (
            <List.Item data-testid="feedback-item" data-answered={f.answeredAt ? 'yes' : 'no'}>
              <Space direction="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Tag>{service(f.service)}</Tag>
                  <Typography.Text type="secondary">{formatTime(f.createdAt)}</Typography.Text>
                  {f.contact && <Typography.Text copyable>{f.contact}</Typography.Text>}
                  {f.lang === 'en' && <Tag>English</Tag>}
                </Space>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{f.message}</Typography.Paragraph>
                {f.answeredAt ? (
                  <Alert
                    type="success"
                    title={t('feedback.answered', { by: f.answeredBy ? actorLabel(f.answeredBy, t) : '', at: formatTime(f.answeredAt) })}
                    description={<span style={{ whiteSpace: 'pre-wrap' }}>{f.answer}</span>}
                  />
                ) : (
                  <AnswerBox id={f.id} onDone={reload} />
                )}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function AnswerBox({ id, onDone }: { id: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const send = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await post(`/status/feedback/${encodeURIComponent(id)}/answer`, { answer: text }, { quiet: true });
      setText('');
      onDone();
    } catch (err) {
      // the reader's language from the code, never the server's English
      const code = err instanceof ApiError ? (err.problem.code ?? '') : '';
      setProblem(i18n.exists(`feedback.error.${code}`) ? t(`feedback.error.${code}`) : t('feedback.error.unknown'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.TextArea
        data-testid="feedback-answer"
        value={text}
        maxLength={2000}
        autoSize={{ minRows: 2, maxRows: 6 }}
        placeholder={t('feedback.answerPlaceholder')}
        onChange={(e) => setText(e.target.value)}
      />
      {problem && <Alert type="error" showIcon title={problem} />}
      <Button type="primary" size="small" loading={busy} disabled={text.trim() === ''} onClick={() => void send()}>
        {t('feedback.answer')}
      </Button>
    </Space>
  );
}
