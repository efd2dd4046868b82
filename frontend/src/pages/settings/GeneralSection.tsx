import { useQueryClient } from '@tanstack/react-query';
import { $api } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import { CopyButton } from '../../components/CopyButton';
import { Notice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { SelectField, TextField } from '../../components/form/fields';
import { formatDate } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { SettingsSection } from '../profile/SettingsSection';
import { INTEGRATION_KINDS, isIntegrationKind } from '../projects/integrations';
import { hasAccess, needsRole, settingsError, useSettingsProject } from './project';

/** Settings › General: name, description and integration; the slug and id to refer to the project. */
export function GeneralSection() {
  const project = useSettingsProject();
  const queryClient = useQueryClient();
  const toast = useToast();
  const update = $api.useMutation('patch', '/api/v1/projects/{projectId}');
  const canEdit = hasAccess(project, 'admin') && !project.deletionRequestedAt;

  return (
    <>
      <SettingsSection
        id="general"
        title="General"
        description="How the project is named and described, and which setup instructions it gets."
      >
        {project.deletionRequestedAt && (
          <Notice tone="warning" title="Being deleted">
            <p>The project’s deletion has started, so its settings can no longer change.</p>
          </Notice>
        )}
        {!hasAccess(project, 'admin') && (
          <Notice tone="info" title="Read-only">
            <p>{needsRole(project, 'admin', 'change these settings')}</p>
          </Notice>
        )}
        <Form
          key={project.updatedAt}
          aria-label="General settings"
          errorTitle="Could not save the settings."
          onSubmit={async (values) => {
            const kind = values.string('integrationKind');
            try {
              const updated = await update.mutateAsync({
                params: { path: { projectId: project.id } },
                body: {
                  name: values.trimmed('name'),
                  description: values.trimmed('description'),
                  ...(isIntegrationKind(kind) ? { integrationKind: kind } : {}),
                },
              });
              queryClient.setQueryData(
                $api.queryOptions('get', '/api/v1/projects/{projectId}', { params: { path: { projectId: project.id } } })
                  .queryKey,
                updated,
              );
              void invalidatePath(queryClient, '/api/v1/projects');
              toast({ title: 'Settings saved' });
            } catch (error) {
              throw settingsError(error);
            }
          }}
        >
          <TextField name="name" label="Name" defaultValue={project.name} maxLength={200} readOnly={!canEdit} />
          <TextField
            name="description"
            label="Description"
            required={false}
            defaultValue={project.description}
            maxLength={2000}
            readOnly={!canEdit}
          />
          <SelectField
            name="integrationKind"
            label="Integration"
            hint="What the application sends from; it chooses the setup instructions."
            options={INTEGRATION_KINDS}
            defaultValue={project.integrationKind}
            disabled={!canEdit}
          />
          {canEdit && (
            <div className="form__actions">
              <SubmitButton pendingLabel="Saving…">Save settings</SubmitButton>
            </div>
          )}
        </Form>
      </SettingsSection>
      <SettingsSection id="identity" title="Identity" description="How the API and the command line refer to the project.">
        <dl className="facts">
          <dt>Project ID</dt>
          <dd>
            <span className="settings-id">
              <code>{project.id}</code>
              <CopyButton text={project.id} label="Copy ID" />
            </span>
          </dd>
          <dt>Slug</dt>
          <dd>
            <code>{project.slug}</code>
            <span className="muted small"> · unique among its owner’s projects</span>
          </dd>
          {project.owner && (
            <>
              <dt>Owner</dt>
              <dd>
                {project.owner.name} <span className="muted">({project.owner.email})</span>
              </dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{formatDate(project.createdAt)}</dd>
        </dl>
      </SettingsSection>
    </>
  );
}
