import { describe, expect, it } from 'vitest';
import { assigneeOf, hasFilters, queryTerms, statusOf, withAssignee, withoutFilters, withStatus } from './query';

describe('inbox query helpers', () => {
  it('reads the status of a query, unresolved by default', () => {
    expect(statusOf('')).toBe('unresolved');
    expect(statusOf('level:error is:resolved checkout')).toBe('resolved');
    expect(statusOf('is:open')).toBe('unresolved');
    expect(statusOf('IS:Ignored')).toBe('ignored');
  });

  it('rewrites the is: term and keeps the rest', () => {
    expect(withStatus('is:unresolved level:error checkout', 'resolved')).toBe('is:resolved level:error checkout');
    expect(withStatus('level:error', 'all')).toBe('is:all level:error');
    expect(withStatus('', 'ignored')).toBe('is:ignored');
    expect(withStatus('is:resolved  is:new x', 'archived')).toBe('is:archived x');
  });
});

describe('query terms', () => {
  it('splits on white space outside quotes, as the server does', () => {
    expect(queryTerms('  is:resolved   env:"qa eu"  -"card  declined" x\\"y ')).toEqual([
      'is:resolved',
      'env:"qa eu"',
      '-"card  declined"',
      'x\\"y',
    ]);
    expect(queryTerms('"a \\" b" c')).toEqual(['"a \\" b"', 'c']);
    expect(queryTerms('x"y z" env:"a b"c d')).toEqual(['x"y', 'z"', 'env:"a b"c', 'd']);
    expect(queryTerms('')).toEqual([]);
  });

  it('leaves quoted text that looks like a status alone', () => {
    expect(statusOf('"foo is:resolved"')).toBe('unresolved');
    expect(withStatus('"foo is:resolved" bar', 'ignored')).toBe('is:ignored "foo is:resolved" bar');
  });
});

describe('assignee filter', () => {
  it('reads assigned: and assignee:, folding the aliases, the last one winning', () => {
    expect(assigneeOf('')).toBe('');
    expect(assigneeOf('is:resolved checkout')).toBe('');
    expect(assigneeOf('assigned:me')).toBe('me');
    expect(assigneeOf('ASSIGNED:Nobody')).toBe('none');
    expect(assigneeOf('assignee:unassigned')).toBe('none');
    expect(assigneeOf('assigned:someone')).toBe('any');
    expect(assigneeOf('assigned:anyone')).toBe('any');
    expect(assigneeOf('assigned:Grace@Example.com')).toBe('grace@example.com');
    expect(assigneeOf('assigned:"grace@example.com"')).toBe('grace@example.com');
    expect(assigneeOf('assigned:me assigned:42')).toBe('42');
    // Negated, it is an error on the server, not a filter here.
    expect(assigneeOf('-assigned:me')).toBe('');
    expect(assigneeOf('"assigned:me"')).toBe('');
  });

  it('rewrites the assigned: term in place, else after is:, else first', () => {
    expect(withAssignee('', 'me')).toBe('assigned:me');
    expect(withAssignee('checkout', 'none')).toBe('assigned:none checkout');
    expect(withAssignee('is:resolved level:error', 'any')).toBe('is:resolved assigned:any level:error');
    expect(withAssignee('level:error assignee:me is:all x', 'grace@example.com')).toBe(
      'level:error assigned:grace@example.com is:all x',
    );
    expect(withAssignee('is:all assigned:me env:"qa eu" assigned:none', 'any')).toBe('is:all assigned:any env:"qa eu"');
    expect(withAssignee('is:all assigned:me env:"qa eu"', '')).toBe('is:all env:"qa eu"');
    expect(withAssignee('assigned:me', '')).toBe('');
  });

  it('round-trips every choice through the query', () => {
    for (const choice of ['', 'me', 'none', 'any', 'grace@example.com', '00000000-0000-4000-8000-000000000001', '42']) {
      const query = withAssignee('is:ignored assigned:nobody -env:staging "card declined"', choice);
      expect(assigneeOf(query)).toBe(choice);
      expect(statusOf(query)).toBe('ignored');
      expect(withAssignee(query, choice)).toBe(query);
    }
  });
});

describe('filters', () => {
  it('tells filters from the status and the order', () => {
    expect(hasFilters('')).toBe(false);
    expect(hasFilters('is:resolved sort:count')).toBe(false);
    expect(hasFilters('is:resolved level:error')).toBe(true);
    expect(hasFilters('checkout')).toBe(true);
    expect(hasFilters('assigned:me')).toBe(true);
  });

  it('clears every filter but keeps the status and the order', () => {
    expect(withoutFilters('is:resolved assigned:me level:error sort:count "card declined"')).toBe('is:resolved sort:count');
    expect(withoutFilters('checkout')).toBe('');
  });
});
