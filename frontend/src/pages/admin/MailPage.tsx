import { useInfiniteQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice, Notice } from '../../components/ErrorNotice';
import { SkeletonRows } from '../../components/Loading';
import { formatDateTime, RelativeTime } from '../../components/Time';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { LoadMore } from '../../lists/LoadMore';
import { adminMailOptions } from './queries';

type MailMessage = components['schemas']['MailMessage'];

const KIND_LABELS: Record<string, string> = {
  confirm_email: 'Confirmation',
  reset_password: 'Password reset',
  invitation: 'Invitation',
  project_invitation: 'Project invitation',
  change_email: 'E-mail change',
  change_email_notice: 'E-mail change notice',
  change_email_in_use: 'E-mail in use',
  password_changed: 'Password changed',
  account_exists: 'Account exists',
};

const URL_PATTERN = /(https?:\/\/[^\s<>"')]+)/g;

/** The message's text with its http(s) links clickable (the links the recipient would follow). */
export function linkify(text: string): ReactNode[] {
  return text.split(URL_PATTERN).map((part, i) =>
    i % 2 === 1 ? (
      <a key={i} href={part} rel="noreferrer">
        {part}
      </a>
    ) : (
      part
    ),
  );
}

function StatusBadge({ status }: { status: MailMessage['status'] }) {
  const tone = status === 'sent' ? 'success' : status === 'failed' ? 'danger' : 'neutral';
  return <span className={`badge badge--${tone}`}>{status}</span>;
}

/**
 * `/admin/mail`: every e-mail the instance sent or stored. On an instance without SMTP this is
 * where an administrator finds confirmation, reset and invitation links to pass on.
 */
export function MailPage() {
  useDocumentTitle('Mail outbox');
  const mail = useInfiniteQuery(adminMailOptions());

  let body: ReactNode;
  if (mail.isPending) {
    body = <SkeletonRows rows={4} label="Loading mail" />;
  } else if (mail.isError) {
    body = <ErrorNotice title="Could not load the outbox." error={mail.error} onRetry={() => void mail.refetch()} />;
  } else {
    const messages = mail.data.pages.flatMap((page) => page.messages);
    body =
      messages.length === 0 ? (
        <div className="card">
          <EmptyState icon="mail" title="No mail yet">
            <p>Sign-ups, password resets and invitations will show up here.</p>
          </EmptyState>
        </div>
      ) : (
        <>
          <ul className="mail-list" aria-label="Messages">
            {messages.map((message) => (
              <li key={message.id}>
                <details className="mail">
                  <summary className="mail__summary">
                    <span className="mail__to">{message.to}</span>
                    <span className="mail__subject">{message.subject}</span>
                    <span className="mail__meta">
                      <span className="badge">{KIND_LABELS[message.kind] ?? message.kind}</span>
                      <StatusBadge status={message.status} />
                      <RelativeTime iso={message.createdAt} />
                    </span>
                  </summary>
                  <div className="mail__body">
                    <dl className="facts facts--compact">
                      <dt>To</dt>
                      <dd>{message.to}</dd>
                      <dt>Created</dt>
                      <dd>{formatDateTime(message.createdAt)}</dd>
                      {message.sentAt && (
                        <>
                          <dt>Sent</dt>
                          <dd>{formatDateTime(message.sentAt)}</dd>
                        </>
                      )}
                    </dl>
                    <pre className="mail__text">{linkify(message.text)}</pre>
                  </div>
                </details>
              </li>
            ))}
          </ul>
          <LoadMore query={mail} label="Load older messages" />
        </>
      );
  }

  return (
    <>
      <Notice tone="info">
        <p>
          Until SMTP is configured, mail is stored here (status <em>stored</em>) and written to the server log: pass
          the links on to the people they are for.
        </p>
      </Notice>
      {body}
    </>
  );
}
