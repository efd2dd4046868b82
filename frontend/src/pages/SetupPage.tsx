import { getRouteApi, Link } from '@tanstack/react-router';
import { $api } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';

const routeApi = getRouteApi('/setup/$token');

export function SetupPage() {
  const { token } = routeApi.useParams();
  const setup = $api.useQuery(
    'get',
    '/api/v1/setup/{token}',
    { params: { path: { token } } },
    // A token's validity changes only when it is used; do not re-ask while the page is open.
    { staleTime: Infinity },
  );

  let body;
  if (setup.isPending) {
    body = <Loading>Checking your setup link…</Loading>;
  } else if (setup.isError) {
    body = <ErrorNotice title="This setup link cannot be used." error={setup.error} />;
  } else if (!setup.data.valid) {
    body = (
      <div className="notice notice--error" role="alert">
        <p className="notice__title">This setup link cannot be used.</p>
        <p>{setup.data.message}</p>
      </div>
    );
  } else {
    body = (
      <div className="notice notice--ok" role="status">
        <p className="notice__title">This setup link is valid.</p>
        <p>{setup.data.message}</p>
      </div>
    );
  }

  return (
    <section aria-labelledby="setup-heading" className="card">
      <h1 id="setup-heading">Set up this instance</h1>
      {body}
      <p>
        <Link to="/">Back to the home page</Link>
      </p>
    </section>
  );
}
