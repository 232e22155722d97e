// The history's filters: system, highest level, state, a date range (local dates) and a search box. Every change
// goes into the page's URL, so a filtered list can be bookmarked or sent.
import { Button, Input, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';
import type { HistoryQuery } from './api';

const LEVELS = ['L1', 'L2', 'L3'] as const;
const STATES = ['open', 'responding', 'recovering', 'closed'] as const;

export function HistoryFilters({ query, onChange }: { query: HistoryQuery; onChange: (next: HistoryQuery) => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const [text, setText] = useState(query.q ?? '');
  useEffect(() => setText(query.q ?? ''), [query.q]);
  const set = (patch: Partial<HistoryQuery>) => onChange({ ...query, ...patch });
  const any = (field: string) => ({ value: '', label: t('history.filters.anyOf', { field: t(`history.filters.${field}`) }) });
  const field = { minWidth: 0, flex: '1 1 150px' } as const;
  return (
    <div data-testid="history-filters" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'flex-end' }}>
      <Input.Search
        style={{ flex: '2 1 260px', minWidth: 0 }}
        value={text}
        maxLength={200}
        allowClear
        aria-label={t('history.filters.search')}
        placeholder={t('history.filters.searchPlaceholder')}
        onChange={(e) => setText(e.target.value)}
        onSearch={(value) => set({ q: value.trim() || undefined })}
        data-testid="history-search"
      />
      <Select
        style={field}
        aria-label={t('history.filters.system')}
        value={query.system ?? ''}
        onChange={(v) => set({ system: v || undefined })}
        options={[any('system'), ...(plan?.systems ?? []).map((s) => ({ value: s.id, label: pick(s.name) }))]}
        showSearch={{ optionFilterProp: 'label' }}
        data-testid="history-system"
      />
      <Select
        style={field}
        aria-label={t('history.filters.level')}
        value={query.level ?? ''}
        onChange={(v) => set({ level: v || undefined })}
        options={[any('level'), ...LEVELS.map((l) => ({ value: l, label: `${t(`level.short.${l}`)} ${l}` }))]}
        data-testid="history-level"
      />
      <Select
        style={field}
        aria-label={t('history.filters.state')}
        value={query.state ?? ''}
        onChange={(v) => set({ state: v || undefined })}
        options={[any('state'), ...STATES.map((s) => ({ value: s, label: t(`history.state.${s}`) }))]}
        data-testid="history-state"
      />
      <Space.Compact style={{ flex: '2 1 280px', minWidth: 0 }}>
        <Input type="date" aria-label={t('history.filters.from')} value={query.from ?? ''} max={query.to} onChange={(e) => set({ from: e.target.value || undefined })} data-testid="history-from" />
        <Input type="date" aria-label={t('history.filters.to')} value={query.to ?? ''} min={query.from} onChange={(e) => set({ to: e.target.value || undefined })} data-testid="history-to" />
      </Space.Compact>
      <Button onClick={() => onChange({})} disabled={Object.keys(query).length === 0}>
        {t('history.filters.reset')}
      </Button>
    </div>
  );
}
