// The business line's procedure from the plan as a checklist in three bands: before, during, after.
import { Checkbox, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { downtimeApi, DOWNTIME_PERM, type SessionDetail } from '../../api/downtime';
import { useLang } from '../../hooks/useLang';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';

export function ChecklistTab({ s, onDone }: { s: SessionDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { can } = useSession();
  const editable = can(DOWNTIME_PERM.operate) && s.incident.state !== 'closed';
  const mark = async (step: string, done: boolean) => {
    try {
      await downtimeApi.mark(s.id, step, done);
      onDone();
    } catch {
      /* reported */
    }
  };
  return (
    <Row gutter={[16, 16]} data-testid="checklist">
      {(['before', 'during', 'after'] as const).map((band) => (
        <Col xs={24} lg={8} key={band}>
          <Typography.Title level={5}>{t(`downtime.band.${band}`)}</Typography.Title>
          {s.checklist
            .filter((c) => c.band === band)
            .map((c) => (
              <div key={c.id} style={{ marginBottom: 8 }} data-testid="checklist-step" data-step={c.id} data-done={c.done}>
                <Checkbox checked={c.done} disabled={!editable} onChange={(e) => mark(c.id, e.target.checked)}>
                  {pick(c.text)}
                </Checkbox>
                {c.done && (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 24 }}>
                      {c.by} · {formatTime(c.at)}
                    </Typography.Text>
                  </div>
                )}
              </div>
            ))}
          {s.checklist.every((c) => c.band !== band) && <Typography.Text type="secondary">—</Typography.Text>}
        </Col>
      ))}
    </Row>
  );
}
