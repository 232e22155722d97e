// What the four access pages share: the page frame (title, add button, load error, card list), actions that
// report and reload, the "add" dialog that opens empty and words refusals, a code block to copy, field refusals.
import { Alert, App, Button, Flex, Form, Input, List, Modal, Typography, theme } from 'antd';
import type { FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { EmptyNote } from '../../../components/EmptyNote';
import type { Resource } from '../../../hooks/useResource';
import { useProblemText } from '../../../lib/problem';

/** The four access pages; each has its texts under `adminAccess.<section>` (title, add, empty, and an intro). */
export type AdminSection = 'accounts' | 'tokens' | 'sources' | 'maintenance';

/**
 * An access page (`admin-<Section>Page`): title, intro (by default the section's intro text), the add button
 * (`<prefix>-add`), the load error, then the items as cards in a grid (`<prefix>-list`; one column on a phone) and
 * whatever dialogs the page has.
 */
export function AdminListPage<T>(props: {
  section: AdminSection;
  prefix: string;
  intro?: React.ReactNode;
  onAdd: () => void;
  resource: Resource<unknown>;
  above?: React.ReactNode;
  items: T[];
  rowKey: keyof T | ((item: T) => string);
  renderCard: (item: T) => React.ReactNode;
  children?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const { resource, section } = props;
  const page = `${section[0]!.toUpperCase()}${section.slice(1)}Page`;
  return (
    <Flex vertical gap={12} data-testid={`admin-${page}`}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t(`adminAccess.${section}.title`)}
      </Typography.Title>
      {props.intro ?? <Muted>{t(`adminAccess.${section}.intro`)}</Muted>}
      <div>
        <Button type="primary" onClick={props.onAdd} data-testid={`${props.prefix}-add`}>
          {t(`adminAccess.${section}.add`)}
        </Button>
      </div>
      {resource.error !== undefined && !resource.data && <Typography.Text type="danger">{problemText(resource.error)}</Typography.Text>}
      {props.above}
      <List
        loading={resource.loading && !resource.data}
        dataSource={props.items}
        rowKey={props.rowKey}
        locale={{ emptyText: <EmptyNote text={t(`adminAccess.${section}.empty`)} /> }}
        grid={{ gutter: 12, xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 4 }}
        renderItem={(item) => <List.Item>{props.renderCard(item)}</List.Item>}
        data-testid={`${props.prefix}-list`}
      />
      {props.children}
    </Flex>
  );
}

/** Listed items with the active ones (not revoked) first, each group in `order`. */
export function activeFirst<T extends { revokedAt: string | null }>(items: readonly T[] | undefined, order: (a: T, b: T) => number): T[] {
  return [...(items ?? [])].sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || order(a, b));
}

/** Runs an action on a listed item: says `done` (if given) or the refusal, and reloads the list after success. */
export function useAdminAction(reload: () => void) {
  const { message } = App.useApp();
  const problemText = useProblemText();
  return async (job: () => Promise<unknown>, done?: string) => {
    try {
      await job();
      if (done) void message.success(done);
      reload();
    } catch (err) {
      void message.error(problemText(err));
    }
  };
}

/**
 * The "add" dialog of an access page: opens empty (then `onOpen` may set defaults), checks the form, submits, and
 * on a refusal marks the named fields (`labels`) and shows the worded problem above the form (`<prefix>-form-error`).
 */
export function AdminFormModal<V extends object>(props: {
  open: boolean;
  prefix: string;
  title: string;
  form: FormInstance<V>;
  labels: Record<string, string>;
  onOpen?: () => void;
  submit: (values: V) => Promise<void>;
  onClose: () => void;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const { open, form, onOpen } = props;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: defaults are set when the dialog opens, not on each render
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    onOpen?.();
    setFailure(undefined);
  }, [open, form]);
  const save = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setFailure(undefined);
    try {
      await props.submit(values);
    } catch (err) {
      showFieldErrors(form, err, props.labels, t);
      setFailure(problemText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={props.title}
      okText={t('adminAccess.common.save')}
      cancelText={t('adminAccess.common.cancel')}
      onOk={() => void save().catch(() => undefined)}
      onCancel={props.onClose}
      confirmLoading={busy}
      forceRender
      okButtonProps={{ 'data-testid': `${props.prefix}-save` }}
    >
      <Form form={form} layout="vertical" requiredMark data-testid={`${props.prefix}-form`}>
        {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 12 }} data-testid={`${props.prefix}-form-error`} />}
        {props.children}
      </Form>
    </Modal>
  );
}

/**
 * Text to paste elsewhere (configuration, a secret): kept as it is, in a monospace block that wraps rather than
 * widening the page, marked `data-code` (code, not UI text), with a copy button.
 */
export function CodeBlock({ text, caption, testId }: { text: string; caption?: string; testId?: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { message } = App.useApp();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      void message.success(t('adminAccess.common.copied'));
    } catch {
      void message.error(t('adminAccess.common.copyFailed'));
    }
  };
  return (
    <Flex vertical gap={4} style={{ minWidth: 0 }}>
      <div data-code data-testid={testId} style={{ background: token.colorFillTertiary, borderRadius: token.borderRadius, padding: '8px 10px', minWidth: 0 }}>
        {caption && <div style={{ fontFamily: token.fontFamilyCode, fontSize: 12, color: token.colorTextSecondary, marginBottom: 4 }}>{caption}</div>}
        <pre style={{ margin: 0, fontFamily: token.fontFamilyCode, fontSize: 12, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', wordBreak: 'break-all' }}>{text}</pre>
      </div>
      <div>
        <Button size="small" onClick={() => void copy()} data-testid={testId ? `${testId}-copy` : undefined}>
          {t('adminAccess.common.copy')}
        </Button>
      </div>
    </Flex>
  );
}

/** A name a script or a tool refers to (a token's, a source's): letters, digits, `.`, `_`, `-`, up to 100. */
export const MACHINE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A required text field whose trimmed value (`normalise`d, if given) must match `pattern`, else `ruleText` shows. */
export function PatternField(props: { name: string; label: string; pattern: RegExp; ruleText: string; testId: string; normalise?: (v: string) => string }) {
  const { t } = useTranslation();
  const { pattern, normalise = (v: string) => v } = props;
  return (
    <Form.Item
      name={props.name}
      label={props.label}
      required
      rules={[
        { required: true, whitespace: true, message: t('adminAccess.common.required', { field: props.label }) },
        { validator: (_: unknown, v?: string) => (!v?.trim() || pattern.test(normalise(v.trim())) ? Promise.resolve() : Promise.reject(new Error(props.ruleText))) },
      ]}
    >
      <Input autoComplete="off" data-testid={props.testId} />
    </Form.Item>
  );
}

/** Puts the server's refusal of named fields next to those fields; true when it did (else the caller shows the problem). */
export function showFieldErrors(form: FormInstance, err: unknown, labels: Record<string, string>, t: (key: string, o?: Record<string, unknown>) => string): boolean {
  if (!(err instanceof ApiError)) return false;
  const issues = (err.problem.errors ?? []).filter((e) => Object.hasOwn(labels, e.path));
  if (!issues.length) return false;
  form.setFields(issues.map((e) => ({ name: e.path, errors: [t('adminAccess.common.invalid', { field: labels[e.path] })] })));
  return true;
}

export const Muted = ({ children, testId }: { children: React.ReactNode; testId?: string }) => (
  <Typography.Text type="secondary" data-testid={testId}>
    {children}
  </Typography.Text>
);
