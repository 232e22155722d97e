// The incident level as colour + Chinese/English text + a distinct icon shape (colour-blind safe).
import { CloseCircleFilled, InfoCircleFilled, WarningFilled } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LevelId } from '../api/types';
import { LEVEL_STYLE } from '../lib/levels';

const ICON = { L1: <CloseCircleFilled />, L2: <WarningFilled />, L3: <InfoCircleFilled /> };

interface Props {
  level: LevelId;
  provisional?: boolean;
  size?: 'small' | 'default' | 'large';
}

export function LevelBadge({ level, provisional, size = 'default' }: Props) {
  const { t } = useTranslation();
  const style = LEVEL_STYLE[level] ?? LEVEL_STYLE.L3;
  const fontSize = size === 'large' ? '1.25em' : size === 'small' ? '0.85em' : undefined;
  return (
    <span style={{ display: 'inline-flex', gap: 4, alignItems: 'center', flexWrap: 'wrap' }}>
      <Tooltip title={t(`level.long.${level}`)}>
        <Tag
          data-testid="level-badge"
          data-level={level}
          icon={ICON[level]}
          style={{
            background: style.bg,
            color: style.fg,
            borderColor: style.border,
            fontWeight: 700,
            fontSize,
            padding: size === 'large' ? '2px 10px' : undefined,
            marginInlineEnd: 0,
          }}
        >
          {t(`level.short.${level}`)} · {level}
        </Tag>
      </Tooltip>
      {provisional && <ProvisionalTag />}
    </span>
  );
}

export function ProvisionalTag() {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('level.provisionalHelp')}>
      <Tag data-testid="provisional-tag" variant="outlined" style={{ borderStyle: 'dashed', marginInlineEnd: 0 }}>
        {t('level.provisional')}
      </Tag>
    </Tooltip>
  );
}
