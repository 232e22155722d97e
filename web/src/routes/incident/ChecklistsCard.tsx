// Checklists per group (from the plan's checklists, instantiated per incident). Empty state until the server sends them.
import { CheckSquareOutlined, BorderOutlined } from '@ant-design/icons';
import { Card, Collapse, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Checklist } from '../../api/types';
import { EmptyNote } from '../../components/EmptyNote';
import { RoleName } from '../../components/Names';
import { SimpleList } from '../../components/SimpleList';
import { useLang } from '../../hooks/useLang';
import { formatTime } from '../../lib/format';

export function ChecklistsCard({ checklists }: { checklists?: Checklist[] }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const lists = checklists ?? [];
  return (
    <Card size="small" title={t('incident.checklists')} data-testid="checklists">
      {lists.length === 0 ? (
        <EmptyNote text={t('incident.noChecklists')} testId="checklists-empty" />
      ) : (
        <Collapse
          size="small"
          defaultActiveKey={lists.map((_, n) => String(n))}
          items={lists.map((c, n) => {
            const items = c.items ?? [];
            const done = items.filter((i) => i.done || i.doneAt).length;
            return {
              key: String(n),
              label: <span>{pick(c.title ?? c.name) || (c.group ? <RoleName id={c.group} /> : `#${n + 1}`)} ({done}/{items.length})</span>,
              children: (
                <SimpleList
                  items={items}
                  itemKey={(i, k) => i.id ?? String(k)}
                  itemTestId="checklist-item"
                  itemStyle={{ display: 'flex', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' }}
                  render={(i) => (
                    <>
                      <span>{i.done || i.doneAt ? <CheckSquareOutlined /> : <BorderOutlined />} {pick(i.text ?? i.title)}</span>
                      <Typography.Text type="secondary" className="tabular">
                        {i.doneAt ? `${formatTime(i.doneAt)}${i.doneBy ? ` · ${i.doneBy}` : ''}` : i.dueAt ? t('incident.dueAt', { time: formatTime(i.dueAt) }) : ''}
                      </Typography.Text>
                    </>
                  )}
                />
              ),
            };
          })}
        />
      )}
    </Card>
  );
}
