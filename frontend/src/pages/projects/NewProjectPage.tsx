import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { $api } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import { Form, SubmitButton } from '../../components/form/Form';
import { SelectField, TextField } from '../../components/form/fields';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { INTEGRATION_KINDS, isIntegrationKind } from './integrations';

/** `/projects/new`: name, integration kind and description; then the project's setup page. */
export function NewProjectPage() {
  useDocumentTitle('New project');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = $api.useMutation('post', '/api/v1/projects');

  return (
    <div className="page page--narrow">
      <div className="page__header">
        <div>
          <h1 className="page__title">New project</h1>
          <p className="page__subtitle">A project collects the errors and logs of one application.</p>
        </div>
      </div>
      <section className="card">
        <Form
          aria-label="New project"
          errorTitle="Could not create the project."
          onSubmit={async (values) => {
            const kind = values.string('integrationKind');
            const description = values.trimmed('description');
            const project = await create.mutateAsync({
              body: {
                name: values.trimmed('name'),
                ...(isIntegrationKind(kind) ? { integrationKind: kind } : {}),
                ...(description ? { description } : {}),
              },
            });
            void invalidatePath(queryClient, '/api/v1/projects');
            await navigate({ to: '/projects/$projectId/setup', params: { projectId: project.id } });
          }}
        >
          <TextField name="name" label="Name" placeholder="Shop" maxLength={100} autoFocus />
          <SelectField
            name="integrationKind"
            label="Integration"
            hint="What the application sends from; it chooses the setup instructions."
            options={INTEGRATION_KINDS}
            defaultValue="http_api"
          />
          <TextField name="description" label="Description" required={false} maxLength={500} />
          <div className="form__actions">
            <SubmitButton pendingLabel="Creating…">Create project</SubmitButton>
            <Link to="/" className="btn btn--ghost">
              Cancel
            </Link>
          </div>
        </Form>
      </section>
    </div>
  );
}
