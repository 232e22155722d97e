// Add or edit one person. Every field is checked here in the UI language, and the server's refusal of a field is
// shown next to that field (a taken 工号, a malformed address).
import { Alert, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { peopleApi, type PersonBody, type PersonView } from '../../../api/people';
import { useProblemText } from '../../../lib/problem';

const MOBILE = /^(?:\+?86|0086)?1[3-9]\d{9}$|^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FIELDS = ['name', 'employeeNo', 'department', 'title', 'mobile', 'phone', 'email', 'wecomUserId', 'dingtalkUserId', 'notes'] as const;
type Field = (typeof FIELDS)[number];
const MAX: Record<Field, number> = { name: 100, employeeNo: 60, department: 100, title: 100, mobile: 20, phone: 40, email: 200, wecomUserId: 100, dingtalkUserId: 100, notes: 2000 };

type Values = Partial<Record<Field, string>>;

interface Props {
  /** null: closed; 'new': add; a person: edit */
  person: PersonView | 'new' | null;
  onClose: () => void;
  onSaved: (p: PersonView) => void;
}

const blankToNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

export function PersonFormModal({ person, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const editing = person && person !== 'new' ? person : null;

  useEffect(() => {
    if (!person) return;
    setFailure(undefined);
    form.resetFields();
    if (person !== 'new') form.setFieldsValue(Object.fromEntries(FIELDS.map((f) => [f, (person[f] as string | null) ?? ''])));
  }, [person, form]);

  const label = (f: Field) => t(`adminPeople.field.${f}`);
  const rules = (f: Field) => [
    ...(f === 'name' ? [{ required: true, whitespace: true, message: t('adminPeople.form.required', { field: label(f) }) }] : []),
    { max: MAX[f], message: t('adminPeople.form.tooLong', { field: label(f), max: MAX[f] }) },
    ...(f === 'mobile'
      ? [{ validator: (_: unknown, v?: string) => (!v?.trim() || MOBILE.test(v.replace(/[\s\-()]/g, '')) ? Promise.resolve() : Promise.reject(new Error(t('adminPeople.form.mobileInvalid')))) }]
      : []),
    ...(f === 'email' ? [{ validator: (_: unknown, v?: string) => (!v?.trim() || EMAIL.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('adminPeople.form.emailInvalid')))) }] : []),
  ];

  const save = async () => {
    const v = await form.validateFields();
    const body: PersonBody & { name: string } = {
      name: (v.name ?? '').trim(),
      employeeNo: blankToNull(v.employeeNo),
      department: (v.department ?? '').trim(),
      title: (v.title ?? '').trim(),
      mobile: blankToNull(v.mobile),
      phone: blankToNull(v.phone),
      email: blankToNull(v.email),
      wecomUserId: blankToNull(v.wecomUserId),
      dingtalkUserId: blankToNull(v.dingtalkUserId),
      notes: v.notes ?? '',
    };
    setBusy(true);
    setFailure(undefined);
    try {
      onSaved(editing ? await peopleApi.update(editing.id, body) : await peopleApi.create(body));
    } catch (err) {
      const code = err instanceof ApiError ? err.problem.code : undefined;
      const fieldErrors = err instanceof ApiError ? (err.problem.errors ?? []).filter((e) => (FIELDS as readonly string[]).includes(e.path)) : [];
      if (code === 'EMPLOYEE_NO_TAKEN') form.setFields([{ name: 'employeeNo', errors: [t('adminPeople.form.employeeNoTaken')] }]);
      else if (fieldErrors.length) form.setFields(fieldErrors.map((e) => ({ name: e.path as Field, errors: [t('adminPeople.form.invalid', { field: label(e.path as Field) })] })));
      else setFailure(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={person !== null}
      title={t(editing ? 'adminPeople.form.editTitle' : 'adminPeople.form.addTitle')}
      okText={t('adminPeople.form.save')}
      cancelText={t('adminPeople.form.cancel')}
      onOk={() => void save().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={busy}
      forceRender
      okButtonProps={{ 'data-testid': 'person-save' }}
    >
      <Form form={form} layout="vertical" data-testid="person-form" requiredMark>
        {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} data-testid="person-form-error" />}
        {FIELDS.map((f) => (
          <Form.Item key={f} name={f} label={label(f)} rules={rules(f)} required={f === 'name'}>
            {f === 'notes' ? <Input.TextArea rows={2} data-testid={`person-${f}`} /> : <Input data-testid={`person-${f}`} inputMode={f === 'mobile' ? 'tel' : f === 'email' ? 'email' : undefined} />}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
