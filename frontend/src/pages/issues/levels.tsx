import type { components } from '../../api/schema.gen';

type IssueStatus = components['schemas']['IssueStatus'];

const LEVEL_TONES: Record<string, string> = { fatal: 'danger', error: 'danger', warning: 'warning', warn: 'warning' };

export function LevelBadge({ level }: { level: string }) {
  const tone = LEVEL_TONES[level.toLowerCase()];
  return <span className={tone ? `badge badge--${tone}` : 'badge'}>{level}</span>;
}

const STATUS_TONES: Record<IssueStatus, string> = {
  unresolved: 'badge badge--warning',
  resolved: 'badge badge--success',
  ignored: 'badge',
  archived: 'badge',
};

const STATUS_LABELS: Record<IssueStatus, string> = {
  unresolved: 'Unresolved',
  resolved: 'Resolved',
  ignored: 'Ignored',
  archived: 'Archived',
};

export function StatusBadge({ status }: { status: IssueStatus }) {
  return <span className={STATUS_TONES[status]}>{STATUS_LABELS[status]}</span>;
}
