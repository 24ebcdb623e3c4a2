// Request bodies as text: valid-looking ones, wrong types, hostile keys and values, malformed JSON,
// empty and oversized bodies. The oracle reads the meaning back from the text, as the server does.
import fc from 'fast-check';

import type { RouteName } from './model';
import { phoneInputArb } from './phones';

type Entry = [key: string, value: unknown];

/** JSON object text from entries, keeping duplicate keys and keys such as `__proto__` as written. */
function objectText(entries: Entry[], pretty: boolean): string {
  const parts = entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${pretty ? ' ' : ''}${JSON.stringify(v)}`);
  return pretty ? `{\n  ${parts.join(',\n  ')}\n}` : `{${parts.join(',')}}`;
}

const hugeString = fc.integer({ min: 41, max: 3_000 }).chain((n) => fc.constantFrom('x', '9', 'é', '€', '😀', ' ').map((c) => c.repeat(n)));

/** Values of the wrong type or shape for any field. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e21, 447400123457, 1.5, -0, '', ' ', [], {}, [''], ['+33612345678'], {
    phone: '+33612345678',
  }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  hugeString,
  fc.jsonValue({ maxDepth: 3 }),
);

/** Keys that have meant trouble for JavaScript object handling, and plain extra keys. */
const extraEntry: fc.Arbitrary<Entry> = fc.tuple(
  fc.oneof(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'isAdmin',
      'user',
      'pending',
      'redirectTo',
      'status',
      '',
    ),
    fc.string({ maxLength: 12 }),
  ),
  fc.oneof(
    fc.constantFrom({ isAdmin: true }, { prototype: { isAdmin: true } }, { phone: '+33612345678', code: '123456' }, null, 'x'),
    wrongValue,
  ),
);

const extras = fc.array(extraEntry, { maxLength: 3 });

const channelValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('sms', 'voice') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('SMS', 'Voice', 'whatsapp', 'email', '', 'sms ', ' voice', 'sms\u0000', 'vоice' /* Cyrillic о */, 'call'),
  },
  { weight: 1, arbitrary: wrongValue },
);

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** Codes of every length, with the separators people type, in other digit sets, and not codes at all. */
export const codeValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: digits(0, 12) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(digits(4, 8), fc.constantFrom(' ', '-', ' - ', '\t', '\n', '  ', '\u00a0', '\u2009'))
      .map(([d, sep]) => `${d.slice(0, 3)}${sep}${d.slice(3)}`),
  },
  { weight: 1, arbitrary: digits(6, 6).map((d) => d.replace(/\d/g, (x) => String.fromCharCode(0xff10 + Number(x)))) },
  { weight: 1, arbitrary: digits(6, 6).map((d) => d.replace(/\d/g, (x) => String.fromCharCode(0x0660 + Number(x)))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'abcdef',
      '12345a',
      '1e5',
      '0x1F',
      '-123456',
      '+123456',
      '123456\u0000',
      ' 123456 ',
      '12.3456',
      '１２３４５６',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 40 }).chain((n) => digits(n, n)) },
  { weight: 1, arbitrary: hugeString },
  { weight: 2, arbitrary: wrongValue },
);

const base64url = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 1, maxLength });

/** A browser's passkey answer, give or take: the shape, wrong types, ids of every length, nonsense inside. */
const credentialValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        id: fc.oneof(base64url(64), base64url(1400), fc.constantFrom('', 'not base64url!', '😀')),
        rawId: base64url(64),
        type: fc.constantFrom('public-key', 'password'),
        response: fc.oneof(
          fc.record({
            clientDataJSON: base64url(200),
            authenticatorData: base64url(60),
            signature: base64url(90),
            userHandle: base64url(43),
          }),
          fc.record({ clientDataJSON: base64url(200), attestationObject: base64url(400) }),
          fc.constantFrom({}, { clientDataJSON: 123 }, { clientDataJSON: '{"type":"webauthn.get"}' }),
        ),
        clientExtensionResults: fc.constant({}),
      })
      .chain((credential) =>
        fc
          .subarray(Object.keys(credential), { minLength: 1 })
          .map((keys) => Object.fromEntries(keys.map((k) => [k, credential[k as keyof typeof credential]]))),
      ),
  },
  { weight: 2, arbitrary: wrongValue },
  { weight: 1, arbitrary: fc.constantFrom({ id: 'x', response: [] }, { id: 'x'.repeat(2049), response: {} }, { id: 1, response: {} }) },
);

const passkeyIdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom('A'.repeat(64), '0'.repeat(63), '../'.repeat(20), 'd_abc') },
  { weight: 1, arbitrary: wrongValue },
);

const passkeyNameValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', 'Laptop\u0000', 'x'.repeat(51), 'x'.repeat(201)) },
  { weight: 1, arbitrary: wrongValue },
);

function routeEntries(route: RouteName): fc.Arbitrary<Entry[]> {
  switch (route) {
    case 'start':
      return fc.oneof(
        {
          weight: 6,
          arbitrary: phoneInputArb.map(({ phone, country }): Entry[] => [
            ['phone', phone],
            ['country', country],
          ]),
        },
        {
          weight: 2,
          arbitrary: fc
            .tuple(
              fc.oneof(
                phoneInputArb.map((p) => p.phone),
                wrongValue,
              ),
              fc.option(fc.oneof(fc.constant('GB'), wrongValue), { nil: undefined }),
            )
            .map(([phone, country]): Entry[] => [
              ['phone', phone],
              ['country', country],
            ]),
        },
        { weight: 1, arbitrary: phoneInputArb.map(({ country }): Entry[] => [['country', country ?? 'GB']]) },
        {
          weight: 1,
          arbitrary: fc.tuple(phoneInputArb, phoneInputArb).map(([a, b]): Entry[] => [
            ['phone', a.phone],
            ['country', a.country],
            ['phone', b.phone],
          ]),
        },
      );
    case 'resend':
      return fc.oneof(
        { weight: 2, arbitrary: fc.constant<Entry[]>([]) },
        { weight: 5, arbitrary: channelValue.map((channel): Entry[] => [['channel', channel]]) },
      );
    case 'verify':
      return fc.oneof(
        { weight: 8, arbitrary: codeValue.map((code): Entry[] => [['code', code]]) },
        { weight: 1, arbitrary: fc.constant<Entry[]>([]) },
        {
          weight: 1,
          arbitrary: fc.tuple(codeValue, codeValue).map(([a, b]): Entry[] => [
            ['code', a],
            ['code', b],
          ]),
        },
      );
    case 'passkeySignIn':
      return credentialValue.map((response): Entry[] => [['response', response]]);
    case 'passkeyAdd':
      return fc.tuple(credentialValue, fc.option(passkeyNameValue, { nil: undefined })).map(([response, name]): Entry[] => [
        ['response', response],
        ['name', name],
      ]);
    case 'passkeyRename':
      return fc.tuple(passkeyIdValue, passkeyNameValue).map(([id, name]): Entry[] => [
        ['id', id],
        ['name', name],
      ]);
    case 'passkeyRemove':
      return passkeyIdValue.map((id): Entry[] => [['id', id]]);
    default:
      return fc.constant<Entry[]>([]);
  }
}

/** A body that is a JSON object of the route's fields, give or take. */
function objectBody(route: RouteName): fc.Arbitrary<string> {
  return fc.tuple(routeEntries(route), extras, fc.boolean(), fc.boolean(), fc.nat()).map(([entries, more, pretty, extraFirst, seed]) => {
    const all = extraFirst ? [...more, ...entries] : [...entries, ...more];
    return objectText(seed % 3 === 0 ? all : entries.concat(seed % 5 === 0 ? more.slice(0, 1) : []), pretty);
  });
}

/** Bodies that are valid JSON but not an object. */
const notAnObject: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', '[]', '[{}]', '"{}"', '0', 'true', '"phone"', '[{"phone":"+33612345678"}]', '{"__proto__":[]}'),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

/** Text that is not JSON, or JSON that something other than JSON.parse would read. */
function malformed(route: RouteName): fc.Arbitrary<string> {
  return fc.oneof(
    objectBody(route).chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((n) => text.slice(0, n))),
    objectBody(route).map((text) => text.replace(/}$/, ',}')),
    objectBody(route).map((text) => text.replace(/"/g, "'")),
    objectBody(route).map((text) => text.replace(/"([^"]+)":/g, '$1:')),
    objectBody(route).map((text) => `${text}${text}`),
    objectBody(route).map((text) => `/* c */${text}`),
    objectBody(route).map((text) => `${text}\u0000`),
    fc.constantFrom(
      '{',
      '}',
      '{"phone":',
      '{"code":NaN}',
      '{"code":Infinity}',
      '{"phone":undefined}',
      "{'phone':'1'}",
      'phone=%2B33612345678',
      'code=123456',
      '<phone>+33612345678</phone>',
      '\u0000',
      '{"a":1}garbage',
      '\\',
      '{"phone":"\\ud800"}',
      '{"phone":"\\x41"}',
    ),
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}

/** Bodies over the 4 KiB limit: padded valid ones, huge values, deep nesting, many keys. */
export function oversized(route: RouteName): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .tuple(objectBody(route), fc.integer({ min: 4_097, max: 20_000 }))
      .map(([text, n]) => text.replace(/^\{/, `{"pad":"${'p'.repeat(n)}",`).replace(',}', '}')),
    fc.integer({ min: 4_097, max: 16_000 }).map((n) =>
      objectText(
        [
          ['phone', '7'.repeat(n)],
          ['code', '1'.repeat(n)],
        ],
        false,
      ),
    ),
    fc.integer({ min: 2_100, max: 6_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.integer({ min: 600, max: 2_000 }).map((n) =>
      objectText(
        Array.from({ length: n }, (_, i): Entry => [`k${i}`, i]),
        false,
      ),
    ),
    fc.integer({ min: 1_400, max: 3_000 }).map((n) => objectText([['phone', '€'.repeat(n)]], false)),
  );
}

/** Any body for a POST to `route`: mostly objects of the route's fields, plus everything else. */
export function bodyArb(route: RouteName): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 14, arbitrary: objectBody(route) },
    { weight: 1, arbitrary: objectBody(route).map((text) => `\ufeff${text}`) },
    { weight: 1, arbitrary: objectBody(route).map((text) => ` \n\t${text}\r\n `) },
    { weight: 2, arbitrary: notAnObject },
    { weight: 3, arbitrary: malformed(route) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '') },
    { weight: 1, arbitrary: oversized(route) },
  );
}
