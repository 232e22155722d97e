// The plan's group checklists for this incident (GET /api/v1/incidents/:id/checklists): per group the items that
// apply at its level and scenario, with a tick (who, when), an inline-editable assignee and the due time.
import { Card, Checkbox, Collapse, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checklistsApi, type ChecklistChange, type ChecklistItemRow } from '../../api/checklists';
import { EmptyNote } from '../../components/EmptyNote';
import { SimpleList } from '../../components/SimpleList';
import { useLang } from '../../hooks/useLang';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime } from '../../lib/format';

/** The permission the server asks for a tick or an assignment. */
const ACT = 'incident.act';

export function ChecklistCard({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { can } = useSession();
  const { data, reload } = useResource(() => checklistsApi.list(incidentId), [incidentId]);
  const [busy, setBusy] = useState<string>();
  const allowed = can(ACT);
  const groups = data?.groups ?? [];

  const change = async (item: ChecklistItemRow, body: ChecklistChange) => {
    setBusy(item.itemId);
    try {
      await checklistsApi.change(incidentId, item.itemId, body);
    } catch {
      // the API wrapper has shown the problem
    } finally {
      setBusy(undefined);
      reload();
    }
  };

  return (
    <Card size="small" title={t('checklist.title')} data-testid="checklists">
      {groups.length === 0 ? (
        <EmptyNote text={t('checklist.empty')} testId="checklists-empty" />
      ) : (
        <Collapse
          size="small"
          defaultActiveKey={groups.map((g) => g.group)}
          items={groups.map((g) => ({
            key: g.group,
            label: (
              <span data-testid="checklist-group" data-group={g.group}>
                {pick(g.name)} ({g.items.filter((i) => i.doneAt).length}/{g.items.length})
              </span>
            ),
            children: (
              <SimpleList
                items={g.items}
                itemKey={(i) => i.id}
                itemTestId="checklist-item"
                itemProps={(i) => ({ 'data-item-id': i.itemId, 'data-done': i.doneAt ? 'true' : 'false' })}
                itemStyle={{ display: 'flex', flexDirection: 'column', gap: 2 }}
                render={(i) => (
                  <>
                    <Checkbox checked={!!i.doneAt} disabled={!allowed || busy === i.itemId} onChange={(e) => void change(i, { done: e.target.checked })} data-testid="checklist-tick">
                      <span style={i.doneAt ? { textDecoration: 'line-through' } : undefined}>{pick(i.text)}</span>
                    </Checkbox>
                    <Typography.Text type="secondary" style={{ fontSize: 12, paddingInlineStart: 24 }} className="tabular">
                      {t('checklist.assignee')}:{' '}
                      <Typography.Text
                        type="secondary"
                        style={{ fontSize: 12 }}
                        data-testid="checklist-assignee"
                        editable={
                          allowed
                            ? {
                                tooltip: t('checklist.assign'),
                                text: i.assignee ?? '',
                                onChange: (value) => {
                                  const next = value.trim() || null;
                                  if (next !== i.assignee) void change(i, { assignee: next });
                                },
                              }
                            : false
                        }
                      >
                        {i.assignee || t('checklist.unassigned')}
                      </Typography.Text>
                      {i.doneAt ? ` · ${t('checklist.doneBy', { who: i.doneBy ?? '—', time: formatTime(i.doneAt) })}` : i.dueAt ? ` · ${t('checklist.dueAt', { time: formatTime(i.dueAt) })}` : ''}
                    </Typography.Text>
                  </>
                )}
              />
            ),
          }))}
        />
      )}
    </Card>
  );
}
