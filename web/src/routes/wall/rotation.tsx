// Rotating panels of the wall: when a panel has more than fits, it shows one page at a time, turning every
// ROTATE_MS, with "n/total" dots beside its title. One tick for the whole wall; hovering the wall or pressing
// Space pauses it (the header says so), so that someone reading a page is not interrupted.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

export const ROTATE_MS = 15_000;

/** What a panel needs to rotate: the wall's tick and how many rows fit on one page. */
export interface Rotate {
  tick: number;
  size: number;
}

/** The page of `items` shown at this tick, and the page number and count. */
export function pageOf<T>(items: T[], rotate: Rotate | undefined): { shown: T[]; page: number; pages: number } {
  if (!rotate || items.length <= rotate.size) return { shown: items, page: 0, pages: 1 };
  const pages = Math.ceil(items.length / rotate.size);
  const page = rotate.tick % pages;
  return { shown: items.slice(page * rotate.size, (page + 1) * rotate.size), page, pages };
}

/** Advances every ROTATE_MS while not paused. */
export function useRotationTick(paused: boolean): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (paused) return;
    const timer = setInterval(() => setTick((n) => n + 1), ROTATE_MS);
    return () => clearInterval(timer);
  }, [paused]);
  return tick;
}

/** "2/3" with dots, beside a rotating panel's title; nothing when everything fits on one page. */
export function PageDots({ page, pages }: { page: number; pages: number }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <span className="page-dots" data-testid="page-dots" data-page={page + 1} data-pages={pages} role="status" aria-label={t('layouts.page', { n: page + 1, total: pages })}>
      {Array.from({ length: pages }, (_, n) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the dots are positions
        <span key={n} className={n === page ? 'page-dot on' : 'page-dot'} />
      ))}
      <span className="tabular">
        {page + 1}/{pages}
      </span>
    </span>
  );
}
