import 'server-only';

import { readItems } from '@directus/sdk';

import { asPerson, type AsPerson } from './as-person';
import { ApiError } from './errors';

// Per-person rows on unlicensed Directus: a member policy's read is every row of a collection (row
// filters are licence-gated: 403 RESOURCE_RESTRICTED), so the scoping to the signed-in person is
// done here, on the server, where the caller cannot drop it. What could reach other people's rows
// through the one query is refused: fields, filters and sorts through relations (a filter there
// is an oracle on other rows), and deep, alias, aggregate, groupBy, export and the like.

type RowOf<Schema, Collection extends keyof Schema> = Schema[Collection] extends (infer Row)[] ? Row : never;
/** A field of the row itself: never a path through a relation. */
type OwnField<Row> = keyof Row & string;

/** A filter on the collection's own fields (`{ title: { _contains: 'x' } }`), `_and`/`_or` of such. */
export type OwnFilter = Record<string, unknown>;

export type OwnRowsQuery<Row, Field extends OwnField<Row>> = {
  /** The field holding the owner's directus_users id (a many-to-one to directus_users, or a uuid). */
  owner: OwnField<Row>;
  fields: readonly Field[];
  /** ANDed with the owner's condition: it can only narrow the person's rows. */
  filter?: OwnFilter;
  sort?: readonly (OwnField<Row> | `-${OwnField<Row>}`)[];
  limit?: number;
  offset?: number;
};

/** The items query Directus is sent: the owner's condition first, always. Throws `invalid_request` for anything else. */
export function ownRowsQuery(userId: string, query: OwnRowsQuery<Record<string, unknown>, string>) {
  const offered = ['owner', 'fields', 'filter', 'sort', 'limit', 'offset'];
  const unknownKey = Object.keys(query).find((key) => !offered.includes(key));
  if (unknownKey !== undefined) throw refusal(`"${unknownKey}" is not offered`);
  if (!isOwnField(query.owner)) throw refusal('the owner must be a field of the collection');
  if (!Array.isArray(query.fields) || query.fields.length === 0 || !query.fields.every(isOwnField))
    throw refusal('fields must be named fields of the collection');
  if (query.sort !== undefined && !query.sort.every((field) => isOwnField(field.replace(/^-/, ''))))
    throw refusal('sort by fields of the collection only');
  if (query.filter !== undefined) assertOwnFilter(query.filter);
  return {
    fields: [...query.fields],
    filter: { _and: [{ [query.owner]: { _eq: userId } }, ...(query.filter === undefined ? [] : [query.filter])] },
    ...(query.sort === undefined ? {} : { sort: [...query.sort] }),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    ...(query.offset === undefined ? {} : { offset: query.offset }),
  };
}

/**
 * The signed-in person's own rows of `collection`, read as them: the rows whose `owner` field is
 * their directus_users id, and never any other, whatever else the query says.
 *
 *   const orders = await readOwnRows<Schema, 'orders', 'id' | 'total'>('orders', { owner: 'customer', fields: ['id', 'total'] });
 */
export function readOwnRows<
  Schema extends object,
  Collection extends keyof Schema & string,
  Field extends OwnField<RowOf<Schema, Collection>>,
>(
  collection: Collection,
  query: OwnRowsQuery<RowOf<Schema, Collection>, Field>,
): Promise<AsPerson<Pick<RowOf<Schema, Collection>, Field>[]>> {
  return asPerson<Schema, Pick<RowOf<Schema, Collection>, Field>[]>(async (directus, user) => {
    const scoped = ownRowsQuery(user.id, query as OwnRowsQuery<Record<string, unknown>, string>);
    // The SDK's types cannot follow a query built at run time; ownRowsQuery has checked its shape.
    return (await directus.request(readItems(collection as never, scoped as never))) as Pick<RowOf<Schema, Collection>, Field>[];
  });
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isOwnField = (field: unknown): field is string => typeof field === 'string' && FIELD_NAME.test(field);
// Operators that step into a relation: the rows they read may be anyone's.
const RELATIONAL_OPERATORS = ['_some', '_none'];

function assertOwnFilter(filter: unknown): void {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) throw refusal('a filter is an object');
  for (const [key, value] of Object.entries(filter)) {
    if (key === '_and' || key === '_or') {
      if (!Array.isArray(value)) throw refusal(`${key} takes a list`);
      value.forEach(assertOwnFilter);
      continue;
    }
    if (!isOwnField(key)) throw refusal(`"${key}" is not a field of the collection`);
    // A field's condition is operators only; a field name inside it is a path through a relation.
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refusal(`"${key}" needs operators`);
    for (const operator of Object.keys(value)) {
      if (!operator.startsWith('_') || RELATIONAL_OPERATORS.includes(operator)) throw refusal(`"${key}" is filtered through a relation`);
    }
  }
}

const refusal = (why: string) => new ApiError('invalid_request', {}, { cause: `own rows: ${why}` });
