// Drills: /drills (catalogue, calendar, runs, open corrective actions, start), /drills/runs/:id (a run),
// /drills/runs/:id/sheet (the observers' sheet, phone first), /drills/runs/:id/score (scores and report).
import { lazy, Suspense } from 'react';
import { matchPath } from '../../hooks/useLocation';
import NotFound from '../NotFound';

const DrillsHome = lazy(() => import('./DrillsHome'));
const RunPage = lazy(() => import('./RunPage'));
const SheetPage = lazy(() => import('./SheetPage'));
const ScorePage = lazy(() => import('./ScorePage'));

export default function DrillRoutes({ path }: { path: string }) {
  const p = path.split('?')[0]!.replace(/\/+$/, '') || '/drills';
  let page: React.ReactNode;
  if (p === '/drills') page = <DrillsHome />;
  else {
    const sheet = matchPath('/drills/runs/:id/sheet', p);
    const score = matchPath('/drills/runs/:id/score', p);
    const run = matchPath('/drills/runs/:id', p);
    if (sheet) page = <SheetPage runId={sheet.id!} />;
    else if (score) page = <ScorePage runId={score.id!} />;
    else if (run) page = <RunPage runId={run.id!} />;
    else page = <NotFound />;
  }
  return (
    <div data-testid="drills-area">
      <Suspense fallback={null}>{page}</Suspense>
    </div>
  );
}
