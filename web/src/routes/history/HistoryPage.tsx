// /history: every incident, open and closed, with filters and full-text search; newest first, 50 at a time
// ("load more" follows the server's cursor); CSV export of everything the filters match.
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Grid, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, useLocation } from '../../hooks/useLocation';
import { useLang } from '../../hooks/useLang';
import { useResource } from '../../hooks/useResource';
import { type HistoryItem, type HistoryQuery, historyApi, queryString, readQuery } from './api';
import { errorText } from './format';
import { HistoryFilters } from './HistoryFilters';
import { HistoryCards, HistoryTable } from './HistoryList';

export default function HistoryPage() {
  const { t } = useTranslation();
  const { lang } = useLang();
  const screens = Grid.useBreakpoint();
  const search = useLocation().split('?')[1] ?? '';
  const query = readQuery(search);
  const first = useResource(() => historyApi.list(readQuery(search)), [search], { live: false });
  const [more, setMore] = useState<{ items: HistoryItem[]; cursor: string | null }>({ items: [], cursor: null });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new first page (new filters) starts the list again
  useEffect(() => {
    setMore({ items: [], cursor: null });
    setMoreError(undefined);
  }, [first.data]);

  const items = [...(first.data?.items ?? []), ...more.items];
  const cursor = more.items.length ? more.cursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await historyApi.list(query, cursor);
      setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor }));
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };
  const setQuery = (next: HistoryQuery) => {
    const qs = queryString(next);
    navigate(`/history${qs ? `?${qs}` : ''}`, { replace: true });
  };
  const phone = screens.sm === false;
  const error = first.error ?? moreError;

  return (
    <Card
      size="small"
      data-testid="history-page"
      title={t('history.title')}
      extra={
        <Button icon={<DownloadOutlined />} href={historyApi.csvUrl(query, lang)} download title={t('history.csvHint')} data-testid="history-csv" disabled={Boolean(first.error)}>
          <span className="hide-on-phone">{t('history.csv')}</span>
        </Button>
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <HistoryFilters query={query} onChange={setQuery} />
        {error ? <Alert type="error" showIcon title={errorText(error, t, 'history.loadFailed')} data-testid="history-error" /> : null}
        {first.data && (
          <Typography.Text type="secondary" data-testid="history-total">
            {t('history.total', { count: first.data.total })}
          </Typography.Text>
        )}
        {phone ? <HistoryCards items={items} /> : <HistoryTable items={items} loading={first.loading} />}
        {cursor && (
          <div style={{ textAlign: 'center' }}>
            <Button onClick={loadMore} loading={loadingMore} data-testid="history-more">
              {t('history.loadMore')}
            </Button>
          </div>
        )}
      </Space>
    </Card>
  );
}
