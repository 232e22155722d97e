// Placeholder: replaced by the page itself.
export default function RotasPage(_props: { path: string }) {
  return <div data-testid="admin-RotasPage" />;
}
