// Signals: the latest 100, and the unmapped ones with a one-step "map to system".
import { Card, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { PERM } from '../../api/permissions';
import type { Signal } from '../../api/types';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { MapSignalModal } from './MapSignalModal';
import { SignalsTable } from './SignalsTable';

export default function SignalsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const recent = useResource(() => api.signals(false), []);
  const unmapped = useResource(() => api.signals(true), []);
  const [mapping, setMapping] = useState<Signal>();
  const unmappedItems = unmapped.data?.items ?? [];
  return (
    <Card size="small" data-testid="signals-page">
      <Tabs
        defaultActiveKey={unmappedItems.length ? 'unmapped' : 'recent'}
        items={[
          { key: 'recent', label: t('signals.recent'), children: <SignalsTable signals={recent.data?.items ?? []} loading={recent.loading} /> },
          {
            key: 'unmapped',
            label: `${t('signals.unmappedTab')} (${unmappedItems.length})`,
            children: <SignalsTable signals={unmappedItems} loading={unmapped.loading} onMap={can(PERM.signalMap) ? setMapping : undefined} />,
          },
        ]}
      />
      <MapSignalModal signal={mapping} onClose={() => setMapping(undefined)} />
    </Card>
  );
}
