// A plan system's status in HICS 251 terms, with an icon per state so it reads without colour.
import { CheckCircleFilled, CloseCircleFilled, MinusCircleFilled } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SystemState } from '../api/types';
import { HICS_COLOUR, HICS_OF, type Hics } from '../lib/levels';

const ICON: Record<Hics, React.ReactNode> = {
  full: <CheckCircleFilled />,
  partial: <MinusCircleFilled />,
  none: <CloseCircleFilled />,
};

export function HicsTag({ hics }: { hics: Hics }) {
  const { t } = useTranslation();
  return (
    <Tag data-testid="hics-tag" data-hics={hics} icon={ICON[hics]} color={HICS_COLOUR[hics]} style={{ marginInlineEnd: 0 }}>
      {t(`hics.${hics}`)}
    </Tag>
  );
}

export function SystemStateTag({ state }: { state: SystemState }) {
  return <HicsTag hics={HICS_OF[state] ?? 'full'} />;
}
