// Drills: /drills (catalogue, calendar, runs) and the pages under it. Placeholder: replaced by the drills pages.
export default function DrillRoutes(_props: { path: string }) {
  return <div data-testid="drills-area" />;
}
