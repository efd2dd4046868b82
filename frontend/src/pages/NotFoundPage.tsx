import { Link, useLocation } from '@tanstack/react-router';

export function NotFoundPage() {
  const pathname = useLocation({ select: (location) => location.pathname });
  return (
    <section aria-labelledby="not-found-heading" className="card">
      <h1 id="not-found-heading">Page not found</h1>
      <p>
        There is no page at <code>{pathname}</code>.
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
