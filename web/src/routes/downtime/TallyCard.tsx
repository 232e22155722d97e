// Patient tally per department, entered by its liaison; the incident-wide sums feed the grading (L2.b counts).
import { App, Button, Card, Form, InputNumber, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { downtimeApi, TALLY, type Overview } from '../../api/downtime';
import { useCatalogue } from '../../components/downtime/useCatalogue';
import { refreshNow } from '../../hooks/live';

export function TallyCard({ incidentId, departments, onDone }: { incidentId: string; departments: Overview['departments']; onDone: () => void }) {
  const { t } = useTranslation();
  const { catalogue, deptName } = useCatalogue();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const dept = Form.useWatch('department', form) as string | undefined;
  const current = departments.find((d) => d.department === dept)?.tally;
  const submit = async (v: Record<string, number | null | undefined> & { department: string }) => {
    const counts = Object.fromEntries(TALLY.filter((c) => typeof v[c] === 'number').map((c) => [c, v[c] as number]));
    try {
      await downtimeApi.tally(incidentId, v.department, counts);
      message.success(t('downtime.tally.saved'));
      refreshNow();
      onDone();
    } catch {
      /* reported */
    }
  };
  return (
    <Card size="small" title={t('downtime.tally.title')} data-testid="tally-card">
      <Typography.Paragraph type="secondary">{t('downtime.tally.help')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="department" label={t('downtime.department')} rules={[{ required: true, message: t('form.required') }]}>
          <Select showSearch optionFilterProp="label" data-testid="tally-department" options={(catalogue?.departments ?? []).map((d) => ({ value: d.id, label: deptName(d.id) }))} />
        </Form.Item>
        <Space wrap>
          {TALLY.map((c) => (
            <Form.Item key={c} name={c} label={t(`downtime.tally.${c}`)} style={{ marginBottom: 8 }} extra={current?.[c] !== undefined ? t('downtime.tally.was', { count: current[c] }) : undefined}>
              <InputNumber min={0} max={1_000_000} data-testid={`tally-${c}`} style={{ width: 110 }} />
            </Form.Item>
          ))}
        </Space>
        <Button type="primary" htmlType="submit" data-testid="tally-submit">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
