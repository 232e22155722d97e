// /admin/people: the directory (search, deactivated people on demand), add and edit, deactivate, and roster import
// with a preview. Cards, not a table, so that a phone shows every field without scrolling sideways.
import { App, Button, Card, Flex, Input, List, Popconfirm, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { peopleApi, type PersonView } from '../../../api/people';
import { EmptyNote } from '../../../components/EmptyNote';
import { useResource } from '../../../hooks/useResource';
import { useSession } from '../../../hooks/useSession';
import { useProblemText } from '../../../lib/problem';
import { ImportPanel } from './ImportPanel';
import { PersonFormModal } from './PersonFormModal';

export default function PeoplePage(_props: { path: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const { can } = useSession();
  const canManage = can('people.manage');
  const [q, setQ] = useState('');
  const [inactive, setInactive] = useState(false);
  const [editing, setEditing] = useState<PersonView | 'new' | null>(null);
  const people = useResource(() => peopleApi.list({ q: q.trim() || undefined, inactive }).then((r) => r.items), [q, inactive]);

  const setActive = async (p: PersonView, active: boolean) => {
    try {
      if (active) await peopleApi.update(p.id, { active: true });
      else await peopleApi.deactivate(p.id);
      void message.success(t(active ? 'adminPeople.people.reactivated' : 'adminPeople.people.deactivated', { name: p.name }));
      people.reload();
    } catch (err) {
      void message.error(problemText(err));
    }
  };

  return (
    <Flex vertical gap={12} data-testid="admin-PeoplePage">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('adminPeople.people.title')}
      </Typography.Title>
      <Flex gap={8} wrap align="center">
        <Input.Search
          allowClear
          placeholder={t('adminPeople.people.search')}
          onSearch={setQ}
          onChange={(e) => e.target.value === '' && setQ('')}
          style={{ flex: '1 1 220px', maxWidth: 420 }}
          data-testid="people-search"
        />
        <Flex gap={6} align="center">
          <Switch checked={inactive} onChange={setInactive} data-testid="people-show-inactive" />
          <Typography.Text>{t('adminPeople.people.showInactive')}</Typography.Text>
        </Flex>
      </Flex>
      {canManage && (
        <Flex gap={8} wrap align="center">
          <Button type="primary" onClick={() => setEditing('new')} data-testid="person-add">
            {t('adminPeople.people.add')}
          </Button>
          <ImportPanel
            canManage={canManage}
            onImported={(text) => {
              void message.success(text);
              people.reload();
            }}
          />
        </Flex>
      )}
      {canManage && <Typography.Text type="secondary">{t('adminPeople.people.importHint')}</Typography.Text>}
      {people.error !== undefined && !people.data && <Typography.Text type="danger">{problemText(people.error)}</Typography.Text>}
      {people.data && <Typography.Text type="secondary">{t('adminPeople.people.count', { count: people.data.length })}</Typography.Text>}
      <List
        loading={people.loading && !people.data}
        dataSource={people.data ?? []}
        rowKey="id"
        locale={{ emptyText: <EmptyNote text={t('adminPeople.people.empty')} /> }}
        grid={{ gutter: 12, xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 4 }}
        renderItem={(p) => (
          <List.Item>
            <PersonCard person={p} canManage={canManage} onEdit={() => setEditing(p)} onActive={(active) => void setActive(p, active)} />
          </List.Item>
        )}
        data-testid="people-list"
      />
      <PersonFormModal
        person={editing}
        onClose={() => setEditing(null)}
        onSaved={(p) => {
          setEditing(null);
          void message.success(t('adminPeople.people.saved', { name: p.name }));
          people.reload();
        }}
      />
    </Flex>
  );
}

function PersonCard({ person: p, canManage, onEdit, onActive }: { person: PersonView; canManage: boolean; onEdit: () => void; onActive: (active: boolean) => void }) {
  const { t } = useTranslation();
  const line = (parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' · ');
  return (
    <Card size="small" data-testid="person-card" data-person={p.name} styles={{ body: { overflowWrap: 'anywhere' } }}>
      <Flex vertical gap={4}>
        <Flex gap={8} wrap align="center">
          <Typography.Text strong>{p.name}</Typography.Text>
          {p.employeeNo && <Typography.Text type="secondary">{`${t('adminPeople.field.employeeNo')} ${p.employeeNo}`}</Typography.Text>}
          {!p.active && <Tag data-testid="person-inactive">{t('adminPeople.people.inactive')}</Tag>}
        </Flex>
        {(p.department || p.title) && <Typography.Text>{line([p.department, p.title])}</Typography.Text>}
        <Typography.Text type="secondary">{line([p.mobile ?? t('adminPeople.people.noMobile'), p.email])}</Typography.Text>
        {canManage && (
          <Flex gap={8} wrap style={{ marginTop: 4 }}>
            <Button size="small" onClick={onEdit} data-testid="person-edit">
              {t('adminPeople.people.edit')}
            </Button>
            {p.active ? (
              <Popconfirm title={t('adminPeople.people.deactivateConfirm', { name: p.name })} onConfirm={() => onActive(false)} okButtonProps={{ 'data-testid': 'person-deactivate-ok' }}>
                <Button size="small" danger data-testid="person-deactivate">
                  {t('adminPeople.people.deactivate')}
                </Button>
              </Popconfirm>
            ) : (
              <Button size="small" onClick={() => onActive(true)} data-testid="person-reactivate">
                {t('adminPeople.people.reactivate')}
              </Button>
            )}
          </Flex>
        )}
      </Flex>
    </Card>
  );
}
