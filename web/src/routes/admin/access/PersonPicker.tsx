// Choose a person of the directory: a select that searches the server by name, 工号 or department as one types.
import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessApi, type PersonChoice } from '../../../api/access';

interface Props {
  value?: string;
  onChange?: (id: string | undefined) => void;
  testId?: string;
}

export function PersonPicker({ value, onChange, testId }: Props) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [people, setPeople] = useState<PersonChoice[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    const timer = setTimeout(() => {
      accessApi.people(q.trim()).then(
        (r) => {
          if (mine !== seq.current) return;
          setPeople(r.items.filter((p) => p.active));
          setLoading(false);
        },
        () => mine === seq.current && setLoading(false),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [q]);

  const label = (p: PersonChoice) =>
    [p.department ? t('adminAccess.accounts.personOption', { name: p.name, department: p.department }) : p.name, p.employeeNo ? t('adminAccess.accounts.employeeNo', { no: p.employeeNo }) : '']
      .filter(Boolean)
      .join(' · ');

  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      placeholder={t('adminAccess.accounts.pickPerson')}
      loading={loading}
      notFoundContent={loading ? null : t('adminAccess.accounts.noPeople')}
      options={people.map((p) => ({ value: p.id, label: label(p) }))}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
