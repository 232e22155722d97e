// Placeholder: replaced by the page itself.
export default function PlanVersionsPage(_props: { path: string }) {
  return <div data-testid="admin-PlanVersionsPage" />;
}
