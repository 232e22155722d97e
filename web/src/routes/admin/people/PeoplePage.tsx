// Placeholder: replaced by the page itself.
export default function PeoplePage(_props: { path: string }) {
  return <div data-testid="admin-PeoplePage" />;
}
