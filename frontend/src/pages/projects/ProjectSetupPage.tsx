import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { $api } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { CopyButton } from '../../components/CopyButton';
import { CopyField, SecretReveal } from '../../components/SecretReveal';
import { Form, SubmitButton } from '../../components/form/Form';
import { TextField } from '../../components/form/fields';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Loading';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { ingestUrl, snippets } from './snippets';

type CreatedApiKey = components['schemas']['CreatedApiKey'];

const routeApi = getRouteApi('/_app/projects/$projectId/setup');

/** How often the page asks whether the first issue has arrived. */
export const FIRST_ISSUE_POLL_MS = 3000;

/** `/projects/:projectId/setup`: the ingest URL, a new API key shown once, snippets, and waiting for the first issue. */
export function ProjectSetupPage() {
  const { projectId } = routeApi.useParams();
  const project = $api.useQuery('get', '/api/v1/projects/{projectId}', { params: { path: { projectId } } });
  useDocumentTitle(project.data ? `Set up ${project.data.name}` : 'Set up');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const url = ingestUrl(window.location.origin);

  return (
    <div className="page page--narrow">
      <div className="page__header">
        <div>
          <p className="page__eyebrow">{project.data?.name ?? 'Project'}</p>
          <h1 className="page__title">Send your first event</h1>
        </div>
      </div>
      <section className="card setup-step" aria-labelledby="ingest-url-heading">
        <h2 id="ingest-url-heading" className="card__title">
          1. The ingest URL
        </h2>
        <CopyField id="ingest-url" label="Ingest URL" value={url} />
      </section>
      <section className="card setup-step" aria-labelledby="api-key-heading">
        <h2 id="api-key-heading" className="card__title">
          2. An API key
        </h2>
        {created ? <CreatedKeyPanel apiKey={created} /> : <NewKeyForm projectId={projectId} onCreated={setCreated} />}
      </section>
      {created && (
        <section className="card setup-step" aria-labelledby="snippet-heading">
          <h2 id="snippet-heading" className="card__title">
            3. Send an event
          </h2>
          <SnippetTabs url={url} apiKey={created.key} />
        </section>
      )}
      <section className="card setup-step" aria-labelledby="wait-heading">
        <h2 id="wait-heading" className="card__title">
          {created ? '4.' : '3.'} Wait for the first issue
        </h2>
        <FirstIssue projectId={projectId} />
      </section>
    </div>
  );
}

function NewKeyForm({ projectId, onCreated }: { projectId: string; onCreated: (key: CreatedApiKey) => void }) {
  const queryClient = useQueryClient();
  const create = $api.useMutation('post', '/api/v1/projects/{projectId}/api-keys');
  return (
    <Form
      aria-label="New API key"
      errorTitle="Could not create the API key."
      onSubmit={async (values) => {
        const key = await create.mutateAsync({
          params: { path: { projectId } },
          body: { name: values.trimmed('name') },
        });
        void invalidatePath(queryClient, '/api/v1/projects/{projectId}/api-keys');
        onCreated(key);
      }}
    >
      <div className="form__inline">
        <TextField name="name" label="Key name" defaultValue="Production" maxLength={100} />
        <div className="form__actions">
          <SubmitButton pendingLabel="Creating…">Create API key</SubmitButton>
        </div>
      </div>
    </Form>
  );
}

function CreatedKeyPanel({ apiKey }: { apiKey: CreatedApiKey }) {
  return (
    <SecretReveal
      region="New API key"
      title={<>API key “{apiKey.name}” created</>}
      inputId="new-api-key"
      inputLabel="API key"
      secret={apiKey.key}
    />
  );
}

function SnippetTabs({ url, apiKey }: { url: string; apiKey: string }) {
  const list = snippets(url, apiKey);
  const [selected, setSelected] = useState(list[0]?.id ?? 'curl');
  const snippet = list.find((s) => s.id === selected) ?? list[0];
  return (
    <div>
      <div className="tabs" role="tablist" aria-label="Runtime">
        {list.map((s) => (
          <button
            key={s.id}
            type="button"
            role="tab"
            id={`snippet-tab-${s.id}`}
            aria-selected={s.id === selected}
            aria-controls="snippet-panel"
            className={s.id === selected ? 'tabs__tab is-active' : 'tabs__tab'}
            onClick={() => { setSelected(s.id); }}
          >
            {s.label}
          </button>
        ))}
      </div>
      {snippet && (
        <div id="snippet-panel" role="tabpanel" aria-labelledby={`snippet-tab-${snippet.id}`} className="snippet">
          <pre className="code">
            <code>{snippet.code}</code>
          </pre>
          <CopyButton text={snippet.code} label="Copy snippet" />
        </div>
      )}
    </div>
  );
}

function FirstIssue({ projectId }: { projectId: string }) {
  const issues = $api.useQuery(
    'get',
    '/api/v1/projects/{projectId}/issues',
    { params: { path: { projectId }, query: { q: 'is:all', limit: 1 } } },
    { refetchInterval: (query) => ((query.state.data?.issues.length ?? 0) > 0 ? false : FIRST_ISSUE_POLL_MS) },
  );
  const first = issues.data?.issues[0];
  if (first) {
    return (
      <div className="notice notice--success" role="status">
        <Icon name="checkCircle" size={18} className="icon notice__icon" />
        <div className="notice__body">
          <p className="notice__title">The first issue arrived: {first.title}</p>
          <p>
            <Link to="/projects/$projectId/issues" params={{ projectId }} className="btn btn--primary">
              Open the inbox
            </Link>
          </p>
        </div>
      </div>
    );
  }
  return (
    <p className="muted" role="status">
      <Spinner size={14} /> Waiting for the first event… this page checks every few seconds.
    </p>
  );
}
