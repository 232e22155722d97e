// What the four access pages share: a code block to copy (set-up texts, secrets), role labels, field refusals.
import { App, Button, Flex, Typography, theme } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';

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
