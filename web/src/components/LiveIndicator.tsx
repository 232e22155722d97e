// Connection state of the live event stream, as a dot + word.
import { Badge, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLiveStatus } from '../hooks/live';

const STATUS = { idle: 'default', connecting: 'processing', open: 'success', error: 'error' } as const;

export function LiveIndicator({ light }: { light?: boolean }) {
  const { t } = useTranslation();
  const status = useLiveStatus();
  return (
    <Tooltip title={t('live.help')}>
      <span data-testid="live-status" data-status={status} style={{ whiteSpace: 'nowrap' }}>
        <Badge status={STATUS[status]} text={<span style={{ color: light ? '#fff' : undefined }}>{t(`live.${status}`)}</span>} />
      </span>
    </Tooltip>
  );
}
