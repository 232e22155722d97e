// Impact facts the grading reads: a system's state, scope, impact flags, patient tallies, scenario category.
// The form keeps what the user typed across live refreshes; "reset" reloads the incident's current values.
// Only what the person changed is sent (an untouched assumed scope stays unconfirmed, an old flag keeps its
// start), with "started at" (`since`) when they say the facts began earlier than now.
import { App, Button, Card, Col, Form, Input, Row, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { PERM } from '../../api/permissions';
import { TALLY_CATEGORIES, type Incident } from '../../api/types';
import { refreshNow } from '../../hooks/live';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';
import { useSession } from '../../hooks/useSession';
import { fromLocalInput, impactChanges, localInput, tallyProblem, tallyValues, type ImpactValues as Values } from './impact-changes';
import { KNOWN_FLAGS, SCOPES, TALLY_MAX } from './impact-options';
import { useFormDraft } from './useFormDraft';

function valuesOf(i: Incident): Values {
  return { scope: i.scope ?? undefined, flags: i.flags ?? [], scenario: i.scenario ?? undefined, tally: { ...i.tallies }, systemState: 'down' };
}

export function ImpactForm({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const { can } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const draft = useFormDraft(form, `impact.${incident.id}`);
  const readOnly = !can(PERM.incidentImpact) || incident.state === 'closed';
  const flagOptions = [...new Set([...KNOWN_FLAGS, ...(incident.flags ?? [])])].map((f) => ({ value: f, label: t(`flag.${f}`, f) }));

  const submit = async (v: Values) => {
    const body = impactChanges({ ...v, tally: tallyValues(v.tally) }, incident, form.isFieldTouched('scope'));
    setBusy(true);
    try {
      await api.impact(incident.id, body);
      draft.drop();
      message.success(t('impact.saved'));
      form.setFieldsValue({ system: undefined, component: undefined, since: undefined });
      form.setFields([{ name: 'scope', touched: false }]);
      refreshNow();
    } catch {
      /* the error reporter shows it */
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('impact.title')} data-testid="impact-form">
      <Form form={form} layout="vertical" initialValues={valuesOf(incident)} onFinish={submit} onValuesChange={draft.keep} disabled={readOnly}>
        <Row gutter={12}>
          <Col xs={24} md={10}>
            <Form.Item name="system" label={t('impact.system')}>
              <Select allowClear showSearch optionFilterProp="label" data-testid="impact-system" options={plan?.systems.map((s) => ({ value: s.id, label: `${s.id} ${pick(s.name)}` }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item name="component" label={t('impact.component')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item name="systemState" label={t('impact.systemState')}>
              <Select options={(['down', 'degraded', 'up'] as const).map((s) => ({ value: s, label: t(`systemState.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="scope" label={t('impact.scope')} extra={incident.scopeAssumed ? <span data-testid="impact-scope-assumed">{t('incident.scopeAssumed')}</span> : undefined}>
              <Select allowClear data-testid="impact-scope" options={SCOPES.map((s) => ({ value: s, label: t(`scope.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="scenario" label={t('impact.scenario')}>
              <Select allowClear options={plan?.scenarios.map((s) => ({ value: s.id, label: pick(s.name) }))} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="flags" label={t('impact.flags')}>
              <Select mode="multiple" allowClear options={flagOptions} data-testid="impact-flags" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="since"
              label={t('impact.since')}
              extra={t('impact.sinceHelp')}
              rules={[{ validator: async (_, v?: string) => (fromLocalInput(v) > Date.now() ? Promise.reject(new Error(t('impact.sinceFuture'))) : undefined) }]}
            >
              <Input type="datetime-local" max={localInput(Date.now())} data-testid="impact-since" aria-label={t('impact.since')} />
            </Form.Item>
          </Col>
          {TALLY_CATEGORIES.map((c) => (
            <Col xs={12} md={6} key={c}>
              <Form.Item
                name={['tally', c]}
                label={t(`tally.${c}`)}
                rules={[
                  {
                    validator: async (_, v: unknown) => {
                      const problem = tallyProblem(v);
                      if (problem) throw new Error(t(`forms.tally.${problem}`, { max: TALLY_MAX }));
                    },
                  },
                ]}
              >
                {/* text, not a number box: a number box silently turns "-5" into 0 and drops "abc"; this one says why */}
                <Input inputMode="numeric" maxLength={12} style={{ width: '100%' }} data-testid={`impact-tally-${c}`} aria-label={t(`tally.${c}`)} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="impact-submit">
            {t('common.save')}
          </Button>
          <Button
            htmlType="button"
            onClick={() => {
              draft.drop();
              form.setFieldsValue({ ...valuesOf(incident), system: undefined, component: undefined, since: undefined });
            }}
          >
            {t('impact.reset')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
