// The plan's group checklists for this incident (GET /api/v1/incidents/:id/checklists): per group the items that
// apply at its level and scenario, with a tick (who, when), an assignee picked from the people who hold the group's
// roles (or stand in for them; stored as the person's id, shown by name) and the due time.
// An item that stands for an obligation names it (its rule id) and shows the obligation's due time, as the
// obligations list does; ticking it records the obligation's evidence, which the server may refuse (another
// role's duty, a met obligation cannot be unticked): the error reporter says why from the problem's code.
import { actorLabel } from '../../lib/timeline';
import { Card, Checkbox, Collapse, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checklistsApi, type ChecklistChange, type ChecklistItemRow, type ChecklistPerson } from '../../api/checklists';
import { Countdown } from '../../components/Countdown';
import { EmptyNote } from '../../components/EmptyNote';
import { SimpleList } from '../../components/SimpleList';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';
import { useResource } from '../../hooks/useResource';
import { useSession } from '../../hooks/useSession';
import { formatTime, clauseRef } from '../../lib/format';
import { isOpenObligation } from '../../lib/response';

/** The permission the server asks for a tick or an assignment. */
const ACT = 'incident.act';

/** The group's people (holders first, deputies marked), and the current assignee even when no longer among them. */
function useAssigneeOptions() {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { role } = usePlan();
  return (people: ChecklistPerson[], item: ChecklistItemRow) => {
    const roles = (p: ChecklistPerson) => p.roles.map((r) => (role(r) ? pick(role(r)!.name) : r)).join(t('forms.listSeparator'));
    const options = people.map((p) => ({
      value: p.id,
      label: p.deputy ? t('forms.assignee.deputyOf', { name: p.name, roles: roles(p) }) : t('forms.assignee.holderOf', { name: p.name, roles: roles(p) }),
    }));
    if (item.assignee && !people.some((p) => p.id === item.assignee)) options.unshift({ value: item.assignee, label: item.assigneeName ?? item.assignee });
    return options;
  };
}

export function ChecklistCard({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { can } = useSession();
  const assigneeOptions = useAssigneeOptions();
  const { data, reload } = useResource(() => checklistsApi.list(incidentId), [incidentId]);
  const { data: people } = useResource(() => checklistsApi.people(incidentId), [incidentId]);
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
                itemProps={(i) => ({ 'data-item-id': i.itemId, 'data-done': i.doneAt ? 'true' : 'false', ...(i.obligation ? { 'data-obligation': i.obligation.ruleId } : {}) })}
                itemStyle={{ display: 'flex', flexDirection: 'column', gap: 2 }}
                render={(i) => (
                  <>
                    <Space size={4} align="start">
                      <Checkbox checked={!!i.doneAt} disabled={!allowed || busy === i.itemId} onChange={(e) => void change(i, { done: e.target.checked })} data-testid="checklist-tick">
                        <span style={i.doneAt ? { textDecoration: 'line-through' } : undefined}>{pick(i.text)}</span>
                      </Checkbox>
                      {i.obligation && (
                        <Tag title={t('checklist.obligation', { rule: i.obligation.ruleId })} data-testid="checklist-obligation" data-state={i.obligation.state} data-due={i.obligation.dueAt ?? ''}>
                          {clauseRef(i.obligation.ruleId) && <code>{clauseRef(i.obligation.ruleId)}</code>}
                        </Tag>
                      )}
                    </Space>
                    <Typography.Text type="secondary" style={{ fontSize: 12, paddingInlineStart: 24 }} className="tabular">
                      {t('checklist.assignee')}:{' '}
                      {allowed ? (
                        <Select
                          size="small"
                          allowClear
                          showSearch
                          optionFilterProp="label"
                          placeholder={t('checklist.unassigned')}
                          value={i.assignee ?? undefined}
                          disabled={busy === i.itemId}
                          style={{ minWidth: 140, maxWidth: '100%' }}
                          popupMatchSelectWidth={false}
                          notFoundContent={t('forms.assignee.nobody')}
                          options={assigneeOptions(people?.groups[g.group] ?? [], i)}
                          onChange={(value?: string) => {
                            const next = value ?? null;
                            if (next !== i.assignee) void change(i, { assignee: next });
                          }}
                          aria-label={t('checklist.assign')}
                          data-testid="checklist-assignee"
                        />
                      ) : (
                        <span data-testid="checklist-assignee">{i.assigneeName || t('checklist.unassigned')}</span>
                      )}
                      {i.doneAt
                        ? ` · ${t('checklist.doneBy', { who: i.doneBy ? actorLabel(i.doneBy, t) : '—', time: formatTime(i.doneAt) })}`
                        : i.dueAt
                          ? ` · ${t('checklist.dueAt', { time: formatTime(i.dueAt) })}`
                          : ''}
                      {!i.doneAt && i.obligation?.dueAt && isOpenObligation(i.obligation) && (
                        <>
                          {' · '}
                          <Countdown at={i.obligation.dueAt} />
                        </>
                      )}
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
