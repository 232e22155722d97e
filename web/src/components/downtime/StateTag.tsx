// Manual-mode state and record state as coloured tags (colour + text, never colour alone).
import { Progress, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ItemState, Progress as P, SessionState } from '../../api/downtime';

const SESSION_COLOUR: Record<SessionState, string> = { active: 'red', recovery: 'orange', back_entry: 'blue', reconciled: 'green' };
const ITEM_COLOUR: Record<ItemState, string> = { registered: 'default', entered: 'blue', verified: 'green', void: 'default' };

export function SessionStateTag({ state, waived }: { state: SessionState; waived?: boolean }) {
  const { t } = useTranslation();
  return (
    <span data-testid="session-state" data-state={state}>
      <Tag color={SESSION_COLOUR[state]}>{t(`downtime.state.${state}`)}</Tag>
      {waived && <Tag color="purple">{t('downtime.waived')}</Tag>}
    </span>
  );
}

export function ItemStateTag({ state }: { state: ItemState }) {
  const { t } = useTranslation();
  return (
    <Tag color={ITEM_COLOUR[state]} data-testid="item-state" data-state={state}>
      {t(`downtime.itemState.${state}`)}
    </Tag>
  );
}

export function BackEntryProgress({ progress }: { progress: P }) {
  const { t } = useTranslation();
  if (progress.total === 0)
    return (
      <Typography.Text type="secondary" data-testid="back-entry-progress">
        {t('downtime.noRecords')}
      </Typography.Text>
    );
  const percent = Math.round((progress.verified / progress.total) * 100);
  return (
    <Tooltip title={t('downtime.progressHelp', { ...progress })}>
      <Progress percent={percent} size="small" format={() => `${progress.verified}/${progress.total}`} status={progress.open ? 'active' : 'success'} style={{ minWidth: 140, margin: 0 }} />
    </Tooltip>
  );
}
