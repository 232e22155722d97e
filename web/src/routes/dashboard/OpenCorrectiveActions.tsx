// Open corrective actions across incidents (closed ones included), overdue first, shown until done.
import { Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { type OpenCorrectiveActionView, reviewApi } from '../../api/review';
import { Link } from '../../components/Link';
import { useResource } from '../../hooks/useResource';

export function OpenCorrectiveActions() {
  const { t } = useTranslation();
  const { data, loading } = useResource(() => reviewApi.openActions(), []);
  const items = data?.items ?? [];
  return (
    <Card size="small" title={`${t('review.openActions')} (${items.length})`} data-testid="open-corrective-actions">
      <Table<OpenCorrectiveActionView>
        size="small"
        rowKey="id"
        loading={loading && !data}
        dataSource={items}
        pagination={items.length > 10 ? { pageSize: 10, size: 'small' } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('review.openActionsEmpty') }}
        onRow={(a) => ({ 'data-testid': 'open-corrective-action', 'data-overdue': String(a.overdue), 'data-incident-id': a.incidentId }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('review.due'),
            key: 'due',
            render: (_, a) => (
              <span className="tabular">
                {a.due} {a.overdue && <Tag color="red">{t('review.overdue')}</Tag>}
              </span>
            ),
          },
          { title: t('review.actionTitle'), key: 'title', render: (_, a) => a.title },
          { title: t('review.owner'), key: 'owner', render: (_, a) => a.owner.name },
          { title: t('review.incident'), key: 'incident', render: (_, a) => <Link to={`/incidents/${encodeURIComponent(a.incidentId)}`}>{a.incident.title}</Link> },
        ]}
      />
    </Card>
  );
}
