// A conspicuous 演练 (DRILL) tag: everything about a drill wears it, so nobody mistakes it for the real thing.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export function DrillBadge({ large }: { large?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color="#c00" data-testid="drill-badge" style={{ fontWeight: 700, fontSize: large ? 16 : undefined, padding: large ? '2px 10px' : undefined, marginInlineEnd: 8 }}>
      {t('drills.badge')}
    </Tag>
  );
}
