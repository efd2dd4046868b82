import { describe, expect, it } from 'vitest';
import { statusOf, withStatus } from './query';

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
