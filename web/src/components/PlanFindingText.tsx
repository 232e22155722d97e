// One plan check finding worded in the screen's language from its code and params (planFinding.<CODE>): the values it
// names (ids, keys, numbers) and its YAML path are shown as code; a kind of entry (`what`) is worded too. A finding
// without a code, or whose code has no text, shows the server's message as code.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanIssue } from '../api/types';

/** Stands for a parameter in the worded text, so that its value can be put back as an element. */
const MARK = '\u0001';
const CODE_STYLE = { overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' } as const;

export function PlanFindingText({ finding }: { finding: PlanIssue }) {
  const { t, i18n } = useTranslation();
  const path = finding.path ? (
    <code data-code style={CODE_STYLE}>
      {finding.path}
    </code>
  ) : null;
  const key = `planFinding.${finding.code}`;
  if (!finding.code || !i18n.exists(key)) {
    return (
      <code data-code style={CODE_STYLE}>
        {finding.path ? `${finding.path}: ` : ''}
        {finding.message}
      </code>
    );
  }
  const params = Object.entries(finding.params ?? {});
  const marks = Object.fromEntries(params.map(([name], i) => [name, `${MARK}${i}${MARK}`]));
  const value = (index: string): ReactNode => {
    const [name, raw] = params[Number(index)] ?? ['', ''];
    const kind = `planFinding.what.${raw}`;
    if (name === 'what' && i18n.exists(kind)) return t(kind);
    return (
      <code data-code style={CODE_STYLE}>
        {String(raw)}
      </code>
    );
  };
  // the text alternates between words (even places) and parameter numbers (odd places); each keyed by where it starts
  let at = 0;
  const pieces = t(key, marks)
    .split(MARK)
    .map((text, i) => {
      const piece = { text, isParam: i % 2 === 1, at };
      at += text.length + 1;
      return piece;
    });
  return (
    <span data-testid="plan-finding-text">
      {path}
      {path && ': '}
      {pieces.map((p) => (p.isParam ? <span key={p.at}>{value(p.text)}</span> : p.text))}
    </span>
  );
}
