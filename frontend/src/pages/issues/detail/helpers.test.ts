import { describe, expect, it } from 'vitest';
import { minutesText } from './DeploymentPanel';
import { fileNameOf } from './IssueActions';
import { validateIssueSearch } from './search';
import { IGNORE_OPTIONS, snoozeText } from './snooze';

describe('issue detail helpers', () => {
  it('builds each Ignore choice’s request body from the current time', () => {
    const now = Date.parse('2026-01-16T10:00:00Z');
    expect(IGNORE_OPTIONS.map((option) => option.body(now))).toEqual([
      { status: 'ignored' },
      { status: 'ignored', ignoreUntil: '2026-01-16T11:00:00.000Z' },
      { status: 'ignored', ignoreUntil: '2026-01-17T10:00:00.000Z' },
      { status: 'ignored', ignoreUntil: '2026-01-23T10:00:00.000Z' },
      { status: 'ignored', ignoreOccurrences: 10 },
      { status: 'ignored', ignoreOccurrences: 100 },
    ]);
  });

  it('says how an issue is snoozed', () => {
    const format = (iso: string) => `<${iso}>`;
    expect(snoozeText(undefined, format)).toBeNull();
    expect(snoozeText({}, format)).toBeNull();
    expect(snoozeText({ until: '2026-01-17T10:00:00Z' }, format)).toBe('Ignored until <2026-01-17T10:00:00Z>');
    expect(snoozeText({ occurrencesLeft: 1 }, format)).toBe('Ignored until 1 more occurrence');
    expect(snoozeText({ occurrencesLeft: 100 }, format)).toBe('Ignored until 100 more occurrences');
  });

  it('reads the file name of a Content-Disposition header', () => {
    expect(fileNameOf('attachment; filename="logister-error-1.json"')).toBe('logister-error-1.json');
    expect(fileNameOf('attachment; filename=plain.json')).toBe('plain.json');
    expect(fileNameOf("attachment; filename=\"x.json\"; filename*=UTF-8''caf%C3%A9.json")).toBe('café.json');
    expect(fileNameOf('attachment')).toBeUndefined();
    expect(fileNameOf(null)).toBeUndefined();
  });

  it('writes the time from a deployment to the first occurrence', () => {
    expect(minutesText(0)).toBe('0 minutes');
    expect(minutesText(1)).toBe('1 minute');
    expect(minutesText(59)).toBe('59 minutes');
    expect(minutesText(60)).toBe('1 hour');
    expect(minutesText(185)).toBe('3 hours 5 minutes');
    expect(minutesText(3 * 24 * 60 + 10)).toBe('3 days');
  });

  it('keeps known tabs and the event of the search, and drops the rest', () => {
    expect(validateIssueSearch({ tab: 'request', event: 'e1' })).toEqual({ tab: 'request', event: 'e1' });
    expect(validateIssueSearch({ tab: 'bogus', event: '' })).toEqual({ tab: undefined, event: undefined });
    expect(validateIssueSearch({})).toEqual({ tab: undefined, event: undefined });
  });
});
