import { describe, expect, it } from 'vitest';

import { ApiError } from './errors';
import { ownRowsQuery } from './own-rows';

const ME = '3b1f4c2e-0000-4000-8000-000000000001';
const base = { owner: 'owner', fields: ['id', 'title'] } as const;

const refused = (query: Record<string, unknown>) => {
  try {
    ownRowsQuery(ME, query as never);
  } catch (error) {
    return error instanceof ApiError ? error.code : String(error);
  }
  return 'accepted';
};

describe('ownRowsQuery', () => {
  it("always ANDs the owner's condition with the caller's", () => {
    expect(ownRowsQuery(ME, { ...base, sort: ['-id'], limit: 10 })).toEqual({
      fields: ['id', 'title'],
      filter: { _and: [{ owner: { _eq: ME } }] },
      sort: ['-id'],
      limit: 10,
    });
    expect(ownRowsQuery(ME, { ...base, filter: { title: { _contains: 'x' } } }).filter).toEqual({
      _and: [{ owner: { _eq: ME } }, { title: { _contains: 'x' } }],
    });
  });

  it("keeps an _or inside the AND: it can widen only the caller's own condition", () => {
    const filter = { _or: [{ owner: { _neq: ME } }, { title: { _nnull: true } }] };
    expect(ownRowsQuery(ME, { ...base, filter }).filter).toEqual({ _and: [{ owner: { _eq: ME } }, filter] });
  });

  it.each([
    ['a relational field', { fields: ['id', 'owner.email'] }],
    ['a wildcard through relations', { fields: ['*.*'] }],
    ['any wildcard', { fields: ['*'] }],
    ['no fields', { fields: [] }],
    ['a filter through a relation (an oracle on other rows)', { filter: { product: { orders: { address: { _starts_with: 'A' } } } } }],
    ['a filter on a one-to-many relation', { filter: { lines: { _some: { price: { _gt: 0 } } } } }],
    ['a relational filter inside _or', { filter: { _or: [{ title: { _eq: 'x' } }, { owner: { email: { _eq: 'a@example.com' } } }] } }],
    ['an _or that is not a list', { filter: { _or: { title: { _eq: 'x' } } } }],
    ['a sort through a relation', { sort: ['owner.email'] }],
    ['deep', { deep: { lines: { _filter: { price: { _gt: 0 } } } } }],
    ['alias', { alias: { everyone: 'owner' } }],
    ['aggregate', { aggregate: { count: '*' } }],
    ['groupBy', { groupBy: ['owner'] }],
    ['export', { export: 'csv' }],
    ['a key it does not offer (search)', { search: 'x' }],
    ['an owner field through a relation', { owner: 'order.customer' }],
  ])('refuses %s as invalid_request', (_name, query) => {
    expect(refused({ ...base, ...query })).toBe('invalid_request');
  });
});
