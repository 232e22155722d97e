// /admin/roles: every role of the plan with its holders and its deputies in order, chosen from the directory.
import { App, Button, Card, Flex, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { peopleApi, type PersonView, type RoleView } from '../../../api/people';
import { EmptyNote } from '../../../components/EmptyNote';
import { pickText, useLang } from '../../../hooks/useLang';
import { useResource } from '../../../hooks/useResource';
import { useSession } from '../../../hooks/useSession';
import { useProblemText } from '../../../lib/problem';
import { PersonListEditor } from './PersonListEditor';

export default function RolesPage(_props: { path: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  // edits in progress must not be replaced by a live refresh: loaded once, reloaded after a save
  const roles = useResource(() => peopleApi.roles().then((r) => r.items), [], { live: false });
  const people = useResource(() => peopleApi.list().then((r) => r.items), [], { live: false });
  return (
    <Flex vertical gap={12} data-testid="admin-RolesPage">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('adminPeople.roles.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('adminPeople.roles.hint')}</Typography.Text>
      {roles.data?.length === 0 && <EmptyNote text={t('adminPeople.roles.empty')} />}
      {roles.data && people.data && roles.data.map((r) => <RoleCard key={r.role} role={r} people={people.data!} canManage={can('people.manage')} onSaved={roles.reload} />)}
    </Flex>
  );
}

function RoleCard({ role, people, canManage, onSaved }: { role: RoleView; people: PersonView[]; canManage: boolean; onSaved: () => void }) {
  const { t } = useTranslation();
  const { lang } = useLang();
  const { message } = App.useApp();
  const problemText = useProblemText();
  const saved = { holders: role.holders.map((p) => p.id), deputies: role.deputies.map((p) => p.id) };
  const [holders, setHolders] = useState(saved.holders);
  const [deputies, setDeputies] = useState(saved.deputies);
  const [busy, setBusy] = useState(false);
  const savedKey = JSON.stringify(saved);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset to what the server holds whenever that changes
  useEffect(() => {
    setHolders(saved.holders);
    setDeputies(saved.deputies);
  }, [savedKey]);
  const dirty = JSON.stringify({ holders, deputies }) !== savedKey;
  // people deactivated since they were chosen are still shown by name
  const known = [...people, ...[...role.holders, ...role.deputies].filter((x) => !people.some((p) => p.id === x.id)).map((x) => ({ ...x, active: false }) as PersonView)];
  const name = pickText(role.roleName, lang);

  const save = async () => {
    setBusy(true);
    try {
      await peopleApi.assign(role.role, holders, deputies);
      void message.success(t('adminPeople.roles.saved', { role: name }));
      onSaved();
    } catch (err) {
      void message.error(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={name} data-testid="role-card" data-role={role.role} styles={{ title: { whiteSpace: 'normal' } }}>
      <Flex gap={16} wrap>
        <Flex vertical gap={6} style={{ flex: '1 1 260px', minWidth: 0 }}>
          <Typography.Text type="secondary">{t('adminPeople.roles.holders')}</Typography.Text>
          {canManage ? <PersonListEditor people={known} value={holders} onChange={setHolders} excludeAlso={deputies} testId="role-holders" /> : <Names ids={holders} people={known} />}
        </Flex>
        <Flex vertical gap={6} style={{ flex: '1 1 260px', minWidth: 0 }}>
          <Typography.Text type="secondary">{t('adminPeople.roles.deputies')}</Typography.Text>
          {canManage ? <PersonListEditor people={known} value={deputies} onChange={setDeputies} excludeAlso={holders} testId="role-deputies" /> : <Names ids={deputies} people={known} />}
        </Flex>
      </Flex>
      {canManage && (
        <Flex gap={8} align="center" wrap style={{ marginTop: 12 }}>
          <Button type="primary" disabled={!dirty} loading={busy} onClick={() => void save()} data-testid="role-save">
            {t('adminPeople.roles.save')}
          </Button>
          {dirty && <Typography.Text type="warning">{t('adminPeople.roles.unsaved')}</Typography.Text>}
        </Flex>
      )}
    </Card>
  );
}

function Names({ ids, people }: { ids: string[]; people: PersonView[] }) {
  const { t } = useTranslation();
  if (ids.length === 0) return <Typography.Text type="secondary">{t('adminPeople.roles.none')}</Typography.Text>;
  return <Typography.Text>{ids.map((id, i) => `${i + 1}. ${people.find((p) => p.id === id)?.name ?? '—'}`).join('  ')}</Typography.Text>;
}
