// "My duties": what the signed-in person must do now across the open incidents — their pending obligations and the
// checklist items assigned to them, due first, each with a live countdown and the one button that does it.
import { CheckOutlined, EnvironmentOutlined, NotificationOutlined } from '@ant-design/icons';
import { Button, Card, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checklistsApi } from '../../api/checklists';
import { api } from '../../api/endpoints';
import type { ActionBody } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { LevelBadge } from '../../components/LevelBadge';
import { Link } from '../../components/Link';
import { SimpleList } from '../../components/SimpleList';
import { useLang } from '../../hooks/useLang';
import { useResource } from '../../hooks/useResource';
import { ExpandableTitle } from './ExpandableTitle';
import { fetchMyDuties, type MyDuty } from './myDutiesApi';

const dutyKey = (d: MyDuty) => `${d.incident.id}:${d.kind}:${d.ruleId ?? ''}:${d.itemId ?? ''}`;

/** The button a duty needs: 收到 for an acknowledgement, 到场 for a check-in, else "done". */
function actionOf(d: MyDuty): { label: string; icon: React.ReactNode } {
  if (d.evidence === 'acknowledge') return { label: 'myDuties.acknowledge', icon: <NotificationOutlined /> };
  if (d.evidence === 'check_in') return { label: 'myDuties.checkIn', icon: <EnvironmentOutlined /> };
  return { label: 'myDuties.done', icon: <CheckOutlined /> };
}

/** Does it: an acknowledgement or check-in as the person (it answers their pages), else ticks the item or records the evidence. */
async function perform(d: MyDuty): Promise<void> {
  if (d.evidence === 'acknowledge' || d.evidence === 'check_in' || (d.evidence && !d.itemId)) {
    await api.act(d.incident.id, { type: d.evidence } as ActionBody);
    return;
  }
  if (d.itemId) await checklistsApi.change(d.incident.id, d.itemId, { done: true });
}

function DutyRow({ duty, onDone }: { duty: MyDuty; onDone: () => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const [busy, setBusy] = useState(false);
  const action = actionOf(duty);
  const run = async () => {
    setBusy(true);
    try {
      await perform(duty);
      onDone();
    } catch {
      // the app's error reporter words the refusal
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="my-duty">
      <div className="my-duty-head">
        {duty.dueAt ? <Countdown at={duty.dueAt} /> : <Typography.Text type="secondary">{t('myDuties.noDue')}</Typography.Text>}
        <Button type="primary" size="middle" icon={action.icon} loading={busy} onClick={run} data-testid="my-duty-action" data-evidence={duty.evidence ?? 'done'}>
          {t(action.label)}
        </Button>
      </div>
      <div className="my-duty-text">{pick(duty.text)}</div>
      <div className="my-duty-incident">
        <LevelBadge level={duty.incident.level} provisional={duty.incident.provisional} size="small" />
        {duty.incident.drill && (
          <Tag color="purple" data-testid="drill-tag">
            {t('layouts.drill')}
          </Tag>
        )}
        <span className="my-duty-title">
          <ExpandableTitle text={duty.incident.title} />
        </span>
        <Link to={`/incidents/${encodeURIComponent(duty.incident.id)}`} className="my-duty-open">
          {t('myDuties.open')}
        </Link>
      </div>
    </div>
  );
}

/** `always`: shown (with an empty note) even when there is nothing to do — the phone's home screen starts with it. */
export function MyDuties({ always }: { always?: boolean }) {
  const { t } = useTranslation();
  const { data, reload } = useResource(fetchMyDuties, []);
  const items = data?.items ?? [];
  if (!always && items.length === 0) return null;
  return (
    <Card size="small" title={`${t('myDuties.title')} (${items.length})`} data-testid="my-duties" className="my-duties">
      <SimpleList<MyDuty>
        items={items}
        itemKey={dutyKey}
        empty={data ? t('myDuties.none') : t('common.loading')}
        itemTestId="my-duty"
        itemProps={(d) => ({ 'data-rule-id': d.ruleId ?? undefined, 'data-item-id': d.itemId ?? undefined, 'data-incident-id': d.incident.id })}
        render={(d) => <DutyRow duty={d} onDone={reload} />}
      />
    </Card>
  );
}
