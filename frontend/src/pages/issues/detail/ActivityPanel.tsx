import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent, type ReactNode, type SyntheticEvent } from 'react';
import { $api, api, asApiError } from '../../../api/client';
import { answered, cursorPagesOptions, invalidatePath, pageQuery } from '../../../api/queries';
import type { components } from '../../../api/schema.gen';
import { useCurrentUser } from '../../../auth/session';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { Icon } from '../../../components/Icon';
import { SkeletonRows, Spinner } from '../../../components/Loading';
import { RelativeTime } from '../../../components/Time';
import { useToast } from '../../../components/Toast';
import { LoadMore } from '../../../lists/LoadMore';

type IssueActivity = components['schemas']['IssueActivity'];
type IssueActivityPage = components['schemas']['IssueActivityPage'];
type IssueStatus = components['schemas']['IssueStatus'];

const PAGE_SIZE = 50;
/** The longest comment the API takes, after trimming. */
export const COMMENT_MAX = 10_000;

function activityPagesOptions(projectId: string, issueId: string) {
  const path = { projectId, issueId };
  return cursorPagesOptions(
    $api.queryOptions('get', '/api/v1/projects/{projectId}/issues/{issueId}/activity', { params: { path } }).queryKey,
    async (cursor, signal): Promise<IssueActivityPage> => {
      const { data } = await api.GET('/api/v1/projects/{projectId}/issues/{issueId}/activity', {
        params: { path, query: { ...pageQuery(cursor, PAGE_SIZE) } },
        signal,
      });
      return answered(data, 'activity');
    },
  );
}

const STATUS_VERBS: Record<IssueStatus, string> = {
  resolved: 'resolved the issue',
  ignored: 'ignored the issue',
  archived: 'archived the issue',
  unresolved: 'reopened the issue',
};

const STATUS_NAMES: Record<IssueStatus, string> = {
  resolved: 'resolved',
  ignored: 'ignored',
  archived: 'archived',
  unresolved: 'unresolved',
};

/** What one activity entry says, in words, with who did it. */
function describe(entry: IssueActivity, meId: string): ReactNode {
  const who = entry.actor ? (entry.actor.id === meId ? 'You' : entry.actor.name) : 'A deleted user';
  const actor = <strong>{who}</strong>;
  switch (entry.kind) {
    case 'status_changed':
      return (
        <>
          {actor} {entry.toStatus ? STATUS_VERBS[entry.toStatus] : 'changed the status'}
          {entry.fromStatus && <span className="muted"> (was {STATUS_NAMES[entry.fromStatus]})</span>}
        </>
      );
    case 'reopened_by_event':
      return (
        <>
          <strong>A new occurrence</strong> reopened the issue
          {entry.fromStatus && <span className="muted"> (was {STATUS_NAMES[entry.fromStatus]})</span>}
        </>
      );
    case 'snooze_expired':
      return (
        <>
          <strong>The snooze ended</strong>: the issue is unresolved again
        </>
      );
    case 'assigned': {
      const to = entry.assignee ? (entry.assignee.id === entry.actor?.id ? 'themselves' : entry.assignee.name) : 'someone';
      return (
        <>
          {actor} assigned the issue to {to === 'themselves' ? to : <strong>{to}</strong>}
          {entry.previousAssignee && <span className="muted"> (was {entry.previousAssignee.name})</span>}
        </>
      );
    }
    case 'unassigned':
      return (
        <>
          {actor} unassigned {entry.previousAssignee ? <strong>{entry.previousAssignee.name}</strong> : 'the issue'}
        </>
      );
    case 'commented':
      return <>{actor} commented</>;
  }
}

const KIND_ICONS = {
  status_changed: 'checkCircle',
  reopened_by_event: 'refresh',
  snooze_expired: 'refresh',
  assigned: 'user',
  unassigned: 'user',
  commented: 'mail',
} as const;

/**
 * The issue's activity, newest first: status changes (by people, new occurrences and ended
 * snoozes), assignments and comments; a box to comment; deleting a comment (one's own, or any
 * for the project's admins and owner).
 */
export function ActivityPanel({ projectId, issueId }: { projectId: string; issueId: string }) {
  const me = useCurrentUser();
  const project = $api.useQuery('get', '/api/v1/projects/{projectId}', { params: { path: { projectId } } });
  const pages = useInfiniteQuery(activityPagesOptions(projectId, issueId));
  const [deleting, setDeleting] = useState<IssueActivity | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = $api.useMutation('delete', '/api/v1/projects/{projectId}/issues/{issueId}/comments/{activityId}');
  // The server lets the project's admins and owner (and instance administrators, whose access is owner) moderate.
  const moderates = project.data?.access === 'admin' || project.data?.access === 'owner';

  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate(
      { params: { path: { projectId, issueId, activityId: deleting.id } } },
      {
        onSuccess: () => {
          setDeleting(null);
          toast({ title: 'Comment deleted' });
          void invalidatePath(queryClient, '/api/v1/projects/{projectId}/issues/{issueId}/activity');
        },
        onError: (error) => {
          setDeleting(null);
          toast({ tone: 'error', title: 'Could not delete the comment', description: asApiError(error).message });
        },
      },
    );
  };

  return (
    <section aria-label="Activity">
      <CommentBox projectId={projectId} issueId={issueId} />
      {pages.isPending ? (
        <SkeletonRows rows={3} label="Loading the activity" />
      ) : pages.isError ? (
        <ErrorNotice title="Could not load the activity." error={pages.error} onRetry={() => void pages.refetch()} />
      ) : pages.data.pages.every((page) => page.activities.length === 0) ? (
        <EmptyState icon="info" title="No activity yet">
          <p>Status changes, assignments and comments of this issue appear here.</p>
        </EmptyState>
      ) : (
        <>
          <ol className="timeline" aria-label="Activity">
            {pages.data.pages
              .flatMap((page) => page.activities)
              .map((entry) => {
                const canDelete = entry.kind === 'commented' && (entry.actor?.id === me.id || moderates);
                return (
                  <li key={entry.id} className={`timeline__item timeline__item--${entry.kind}`}>
                    <span className="timeline__icon" aria-hidden="true">
                      <Icon name={KIND_ICONS[entry.kind]} size={14} />
                    </span>
                    <div className="timeline__body">
                      <p className="timeline__text">
                        {describe(entry, me.id)} · <RelativeTime iso={entry.createdAt} />
                      </p>
                      {entry.kind === 'commented' && entry.body !== undefined && <p className="comment">{entry.body}</p>}
                    </div>
                    {canDelete && (
                      <button
                        type="button"
                        className="btn btn--small btn--danger-text"
                        aria-label={`Delete comment of ${entry.actor?.name ?? 'a deleted user'}`}
                        onClick={() => { setDeleting(entry); }}
                      >
                        Delete
                      </button>
                    )}
                  </li>
                );
              })}
          </ol>
          <LoadMore query={pages} />
        </>
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete this comment?"
          confirmLabel="Delete comment"
          pending={remove.isPending}
          onConfirm={confirmDelete}
          onCancel={() => { setDeleting(null); }}
        >
          <p>It is removed from the issue&apos;s activity for good.</p>
          {deleting.body && <blockquote className="comment comment--quoted">{deleting.body}</blockquote>}
        </ConfirmDialog>
      )}
    </section>
  );
}

const COUNT = new Intl.NumberFormat(undefined);

/** "⌘+Enter" on Apple systems, "Ctrl+Enter" elsewhere. */
const SEND_KEYS = /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘+Enter' : 'Ctrl+Enter';

/** A comment box: 1 to 10,000 characters (trimmed); Ctrl+Enter or ⌘+Enter sends it. */
function CommentBox({ projectId, issueId }: { projectId: string; issueId: string }) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | undefined>();
  const id = useId();
  const queryClient = useQueryClient();
  const toast = useToast();
  const create = $api.useMutation('post', '/api/v1/projects/{projectId}/issues/{issueId}/comments');
  const length = body.trim().length;
  const tooLong = length > COMMENT_MAX;

  const submit = () => {
    if (create.isPending) return;
    if (length === 0) {
      setError('Write something first.');
      return;
    }
    if (tooLong) {
      setError(`A comment can be at most ${COUNT.format(COMMENT_MAX)} characters.`);
      return;
    }
    setError(undefined);
    create.mutate(
      { params: { path: { projectId, issueId } }, body: { body: body.trim() } },
      {
        onSuccess: () => {
          setBody('');
          toast({ title: 'Comment added' });
          void invalidatePath(queryClient, '/api/v1/projects/{projectId}/issues/{issueId}/activity');
        },
        onError: (err) => {
          const apiError = asApiError(err);
          setError(apiError.fields.body ?? apiError.message);
        },
      },
    );
  };

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    submit();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form className="comment-box" aria-label="Add a comment" onSubmit={onSubmit} noValidate>
      <label htmlFor={`${id}-body`} className="field__label">
        Comment
      </label>
      <textarea
        id={`${id}-body`}
        className="input comment-box__input"
        rows={3}
        value={body}
        placeholder="Leave a note for the team"
        aria-invalid={error || tooLong ? true : undefined}
        aria-describedby={`${id}-count${error ? ` ${id}-error` : ''}`}
        onChange={(event) => {
          setBody(event.currentTarget.value);
          setError(undefined);
        }}
        onKeyDown={onKeyDown}
      />
      {error && (
        <p className="field__error" id={`${id}-error`} role="alert">
          <Icon name="alert" size={14} /> {error}
        </p>
      )}
      <div className="comment-box__footer">
        <span id={`${id}-count`} className={tooLong ? 'comment-box__count is-over small' : 'comment-box__count small muted'}>
          {COUNT.format(length)} / {COUNT.format(COMMENT_MAX)} characters · {SEND_KEYS} to send
        </span>
        <button type="submit" className="btn btn--primary btn--small" disabled={create.isPending}>
          {create.isPending && <Spinner size={14} />}
          Comment
        </button>
      </div>
    </form>
  );
}
