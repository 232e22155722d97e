// Roster import in two steps: the server checks the chosen file without writing (a preview of every row, bad rows
// first), and only a confirmation writes it — all of it when clean, or explicitly only the good rows.
import { Alert, Button, Card, Flex, List, Popconfirm, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { fileToBase64, peopleApi, type ImportPreview, type RosterIssue, type RowPreview } from '../../../api/people';
import { useProblemText } from '../../../lib/problem';

const ACCEPT = '.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The cells a row card shows first, per kind of sheet. */
const KEY_CELLS: Record<string, string[]> = {
  people: ['name', 'employeeNo', 'department', 'mobile', 'email'],
  roles: ['role', 'holders', 'deputies'],
  rota: ['date', 'role', 'person', 'handover'],
};

interface Props {
  canManage: boolean;
  onImported: (message: string) => void;
}

export function ImportPanel({ canManage, onImported }: Props) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; content: string }>();
  const [preview, setPreview] = useState<ImportPreview>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const columnLabel = (key: string) => {
    const n = /^deputy(\d+)$/.exec(key);
    if (n) return t('adminPeople.field.deputyN', { n: n[1] });
    const known = [
      'name',
      'employeeNo',
      'department',
      'title',
      'mobile',
      'phone',
      'email',
      'wecomUserId',
      'dingtalkUserId',
      'feishuOpenId',
      'channels',
      'notes',
      'role',
      'holders',
      'deputies',
      'date',
      'person',
      'handover',
    ];
    return known.includes(key) ? t(`adminPeople.field.${key}`) : key;
  };
  const issueText = (i: RosterIssue) => {
    const code = [
      'REQUIRED',
      'TOO_LONG',
      'DUPLICATE_IN_FILE',
      'MOBILE_INVALID',
      'EMAIL_INVALID',
      'ROLE_UNKNOWN',
      'PERSON_UNKNOWN',
      'PERSON_AMBIGUOUS',
      'DATE_INVALID',
      'TIME_INVALID',
      'SHIFT_DUPLICATE',
      'NO_SHEET',
    ].includes(i.code)
      ? i.code
      : 'other';
    return t(`adminPeople.import.issue.${code}`, { ...i.params, column: i.column ? columnLabel(i.column) : i.field });
  };

  const reset = () => {
    setFile(undefined);
    setPreview(undefined);
    setFailure(undefined);
    if (input.current) input.current.value = '';
  };

  const check = async (chosen: File) => {
    setBusy(true);
    setFailure(undefined);
    setPreview(undefined);
    try {
      const next = { name: chosen.name, content: await fileToBase64(chosen) };
      setFile(next);
      setPreview(await peopleApi.preview(next.name, next.content));
    } catch (err) {
      const unreadable = err instanceof ApiError && err.status === 400 && err.problem.errors?.some((e) => e.path === 'body' || e.path === 'content');
      setFailure(unreadable ? t('adminPeople.import.unreadable') : problemText(err));
    } finally {
      setBusy(false);
    }
  };

  const write = async (partial: boolean) => {
    if (!file || !preview) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const report = await peopleApi.import(file.name, file.content, partial);
      const skipped = new Set(report.errors.map((e) => `${e.sheet}|${e.row}`)).size;
      onImported(skipped ? t('adminPeople.import.doneSkipped', { count: skipped }) : t('adminPeople.import.done', report.people));
      reset();
    } catch (err) {
      setFailure(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  const badRows = preview?.rows.filter((r) => r.issues.length > 0) ?? [];
  const fileIssues = preview?.errors.filter((e) => !preview.rows.some((r) => r.sheet === e.sheet && r.row === e.row)) ?? [];
  const ordered = preview ? [...badRows, ...preview.rows.filter((r) => r.issues.length === 0)] : [];
  const goodCount = ordered.length - badRows.length;
  const clean = preview !== undefined && badRows.length === 0 && fileIssues.length === 0 && ordered.length > 0;

  return (
    <>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        hidden
        data-testid="import-file"
        onChange={(e) => {
          const chosen = e.target.files?.[0];
          e.target.value = ''; // the same file may be chosen again after it is fixed
          if (chosen) void check(chosen);
        }}
      />
      {canManage && (
        <Button onClick={() => input.current?.click()} loading={busy && !preview} data-testid="import-choose">
          {t('adminPeople.people.import')}
        </Button>
      )}
      {(preview || failure) && (
        <Card
          size="small"
          data-testid="import-preview"
          title={file ? t('adminPeople.import.title', { file: file.name.replace(/\.(xlsx|csv)$/i, '') }) : undefined}
          style={{ width: '100%', marginTop: 12 }}
          styles={{ title: { whiteSpace: 'normal' } }}
        >
          <Flex vertical gap={12}>
            {failure && <Alert type="error" showIcon title={failure} data-testid="import-error" />}
            {preview && (
              <>
                <Typography.Text data-testid="import-summary">
                  {t('adminPeople.import.summary', { rows: ordered.length, created: preview.people.created, updated: preview.people.updated, roles: preview.roles, shifts: preview.shifts })}
                </Typography.Text>
                {fileIssues.map((i) => (
                  <Alert key={`${i.sheet}|${i.code}`} type="error" showIcon title={issueText(i)} />
                ))}
                {clean && <Alert type="success" showIcon title={t('adminPeople.import.clean')} data-testid="import-clean" />}
                {badRows.length > 0 && <Alert type="error" showIcon title={t('adminPeople.import.bad', { count: badRows.length })} data-testid="import-bad" />}
                {ordered.length === 0 && fileIssues.length === 0 && <Alert type="warning" showIcon title={t('adminPeople.import.noRows')} />}
                <List
                  size="small"
                  dataSource={ordered}
                  rowKey={(r) => `${r.sheet}|${r.row}`}
                  renderItem={(r) => <PreviewRow row={r} columnLabel={columnLabel} issueText={issueText} />}
                  style={{ maxHeight: 420, overflowY: 'auto' }}
                />
                <Flex gap={8} wrap>
                  {clean && (
                    <Button type="primary" loading={busy} onClick={() => void write(false)} data-testid="import-confirm">
                      {t('adminPeople.import.confirm')}
                    </Button>
                  )}
                  {badRows.length > 0 && goodCount > 0 && (
                    <Popconfirm title={t('adminPeople.import.goodOnlyConfirm', { count: badRows.length })} onConfirm={() => void write(true)} okButtonProps={{ 'data-testid': 'import-good-only-ok' }}>
                      <Button danger loading={busy} data-testid="import-good-only">
                        {t('adminPeople.import.goodOnly', { count: goodCount })}
                      </Button>
                    </Popconfirm>
                  )}
                  <Button onClick={() => input.current?.click()} data-testid="import-rechoose">
                    {t('adminPeople.import.choose')}
                  </Button>
                  <Button onClick={reset} data-testid="import-cancel">
                    {t('adminPeople.import.cancel')}
                  </Button>
                </Flex>
              </>
            )}
          </Flex>
        </Card>
      )}
    </>
  );
}

function PreviewRow({ row, columnLabel, issueText }: { row: RowPreview; columnLabel: (k: string) => string; issueText: (i: RosterIssue) => string }) {
  const { t } = useTranslation();
  const bad = row.issues.length > 0;
  const keys = [...(KEY_CELLS[row.kind] ?? []), ...Object.keys(row.cells).filter((k) => !(KEY_CELLS[row.kind] ?? []).includes(k))].filter((k) => row.cells[k]);
  return (
    <List.Item
      data-testid={bad ? 'import-row-bad' : 'import-row-ok'}
      data-row={row.row}
      style={{ display: 'block', background: bad ? '#fff1f0' : undefined, borderLeft: bad ? '3px solid #cf1322' : '3px solid transparent', paddingLeft: 8 }}
    >
      <Flex gap={8} wrap align="center">
        <Tag color={bad ? 'error' : row.action === 'create' ? 'success' : 'processing'}>{t(`adminPeople.import.status.${bad ? 'bad' : (row.action ?? 'bad')}`)}</Tag>
        <Typography.Text strong>{t('adminPeople.import.rowLabel', { sheet: row.sheet, row: row.row })}</Typography.Text>
      </Flex>
      <Typography.Paragraph style={{ margin: '4px 0 0', overflowWrap: 'anywhere' }} type="secondary">
        {keys.map((k) => `${columnLabel(k)}：${row.cells[k]}`).join('；')}
      </Typography.Paragraph>
      {row.issues.map((i) => (
        <Typography.Paragraph key={`${i.column}|${i.code}|${i.message}`} type="danger" style={{ margin: 0 }} data-testid="import-issue" data-code={i.code} data-column={i.column}>
          {issueText(i)}
        </Typography.Paragraph>
      ))}
    </List.Item>
  );
}
