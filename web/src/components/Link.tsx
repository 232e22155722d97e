// An <a> that navigates inside the app without a page load (keeps Ctrl/⌘-click and middle-click working).
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate } from '../hooks/useLocation';

export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
