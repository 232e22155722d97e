// A long title on one line, cut with an ellipsis; a tap (or Enter) shows the whole text, another folds it again.
// The full text is also its tooltip on hover. A 2,000-character title never pushes a layout off the screen.
import { useState } from 'react';

export function ExpandableTitle({ text, strong }: { text: string; strong?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <button
      type="button"
      className={open ? 'expandable-title open' : 'expandable-title'}
      title={text}
      aria-expanded={open}
      onClick={() => setOpen((o) => !o)}
      data-testid="expandable-title"
      style={strong ? { fontWeight: 600 } : undefined}
    >
      {text}
    </button>
  );
}
