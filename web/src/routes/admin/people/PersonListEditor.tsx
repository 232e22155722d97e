// An ordered list of people chosen from the directory (never typed): a searchable picker adds one, arrows reorder.
import { ArrowDownOutlined, ArrowUpOutlined, CloseOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PersonView } from '../../../api/people';

interface PickerProps {
  people: readonly PersonView[];
  /** ids not offered (already chosen) */
  exclude?: readonly string[];
  value?: string;
  onChange: (id: string | undefined) => void;
  testId: string;
  placeholder?: string;
}

const searchText = (p: PersonView) => `${p.name} ${p.employeeNo ?? ''} ${p.department} ${p.mobile ?? ''}`.toLowerCase();

/** One person, found by name, 工号, department or mobile. */
export function PersonPicker({ people, exclude = [], value, onChange, testId, placeholder }: PickerProps) {
  const { t } = useTranslation();
  const options = people
    .filter((p) => p.active && !exclude.includes(p.id))
    .map((p) => ({ value: p.id, label: [p.name, p.department, p.employeeNo].filter(Boolean).join(' · '), search: searchText(p) }));
  return (
    <Select
      data-testid={testId}
      showSearch={{ filterOption: (input, option) => Boolean(option?.search.includes(input.trim().toLowerCase())) }}
      allowClear
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      options={options}
      placeholder={placeholder ?? t('adminPeople.roles.pick')}
      style={{ width: '100%', maxWidth: 360 }}
      popupMatchSelectWidth={false}
    />
  );
}

interface ListProps {
  people: readonly PersonView[];
  value: readonly string[];
  onChange: (ids: string[]) => void;
  /** ids chosen elsewhere (e.g. the holders, when this is the deputies) */
  excludeAlso?: readonly string[];
  testId: string;
}

export function PersonListEditor({ people, value, onChange, excludeAlso = [], testId }: ListProps) {
  const { t } = useTranslation();
  const name = (id: string) => people.find((p) => p.id === id)?.name ?? '—';
  const move = (i: number, by: number) => {
    const next = [...value];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    onChange(next);
  };
  return (
    <Flex vertical gap={6} data-testid={testId}>
      {value.length === 0 && <Typography.Text type="secondary">{t('adminPeople.roles.none')}</Typography.Text>}
      {value.map((id, i) => (
        <Flex key={id} align="center" gap={4} wrap data-testid={`${testId}-item`}>
          <Typography.Text style={{ minWidth: 24 }}>{i + 1}.</Typography.Text>
          <Typography.Text strong style={{ flex: '1 1 80px' }}>
            {name(id)}
          </Typography.Text>
          <Button size="small" icon={<ArrowUpOutlined />} aria-label={t('adminPeople.roles.up')} title={t('adminPeople.roles.up')} disabled={i === 0} onClick={() => move(i, -1)} />
          <Button size="small" icon={<ArrowDownOutlined />} aria-label={t('adminPeople.roles.down')} title={t('adminPeople.roles.down')} disabled={i === value.length - 1} onClick={() => move(i, 1)} />
          <Button
            size="small"
            danger
            icon={<CloseOutlined />}
            aria-label={t('adminPeople.roles.remove')}
            title={t('adminPeople.roles.remove')}
            onClick={() => onChange(value.filter((x) => x !== id))}
          />
        </Flex>
      ))}
      <PersonPicker people={people} exclude={[...value, ...excludeAlso]} value={undefined} onChange={(id) => id && onChange([...value, id])} testId={`${testId}-picker`} />
    </Flex>
  );
}
