// The tutorial this product replaces (Directus Flows + Plivo Verify), set up on the bench Directus
// as the post builds it: two webhook flows, caching off, default accountability, full-access
// Update Data. Fixed just enough to sign anyone in (docs/benchmarks.md, "The tutorial's flows"): the session uuid is read
// from `$last.data`, and the verify flow gains the step that makes the token it saves.

export type FlowsTarget = {
  directusUrl: string;
  adminToken: string;
  plivoUrl: string;
  plivoAuthId: string;
  plivoAuthToken: string;
  plivoAppUuid: string;
};
export type TutorialFlows = { startUrl: string; verifyUrl: string };

type Operation = { key: string; type: string; options: Record<string, unknown> };

// The tutorial's Number Cleanup script, verbatim.
const NUMBER_CLEANUP = `module.exports = async function(data) {
  const countryCode = \`+\${data.$trigger.query.country_code}\`;
  const phoneNumber = data.$trigger.query.phone_number;

  let fullPhoneNumber = phoneNumber.replace(/[^\\d+]/g, '');

  if (phoneNumber.startsWith('00')) {
    fullPhoneNumber = phoneNumber.replace(/^00/g, '+')
  } else if (!phoneNumber.startsWith('+')) {
    fullPhoneNumber = \`\${countryCode}\${phoneNumber.replace(/^[0-9]/g, '')}\`;
  }

  return {
    phone_number: fullPhoneNumber
  };
}`;

// The fix for the missing step: Flow scripts have no crypto module, so Math.random it is (the
// tutorial's own weakness, kept: the comparison is with what a site owner would run).
const GENERATE_TOKEN = `module.exports = async function() {
  let token = '';
  while (token.length < 32) token += Math.random().toString(36).slice(2);
  return { token: token.slice(0, 32) };
}`;

export async function createTutorialFlows(target: FlowsTarget): Promise<TutorialFlows> {
  const admin = adminClient(target);
  // The tutorial's field; directus:setup already made it on the bench Directus (the static strategy uses it).
  const fields = await admin<Array<{ field: string }>>('GET', '/fields/directus_users');
  if (!fields.some(({ field }) => field === 'otp_session_uuid')) {
    await admin('POST', '/fields/directus_users', { field: 'otp_session_uuid', type: 'string', meta: { hidden: true }, schema: {} });
  }
  const sessions = `${target.plivoUrl}/v1/Account/${target.plivoAuthId}/Verify/Session/`;
  const headers = [
    { header: 'Authorization', value: `Basic ${Buffer.from(`${target.plivoAuthId}:${target.plivoAuthToken}`).toString('base64')}` },
  ];
  const fullAccess = { permissions: '$full', collection: 'directus_users' };

  const start = await createFlow(admin, 'Passwordless login', [
    { key: 'number_cleanup', type: 'exec', options: { code: NUMBER_CLEANUP } },
    {
      key: 'create_otp_session',
      type: 'request',
      options: {
        method: 'POST',
        url: sessions,
        headers,
        body: JSON.stringify({ app_uuid: target.plivoAppUuid, recipient: '{{$last.phone_number}}', channel: 'sms', method: 'POST' }),
      },
    },
    {
      key: 'save_session_uuid',
      type: 'item-update',
      // Fix 1: the post reads `$last.session_uuid`; Request URL puts the response under `data`.
      options: {
        ...fullAccess,
        payload: { otp_session_uuid: '{{$last.data.session_uuid}}' },
        query: { filter: { phone: { _eq: '{{number_cleanup.phone_number}}' } } },
      },
    },
    {
      key: 'return_session',
      type: 'exec',
      options: {
        code: 'module.exports = async function(data) {\n  return {\n    otp_session_uuid: data.create_otp_session.data.session_uuid\n  };\n}',
      },
    },
  ]);
  const verify = await createFlow(admin, 'Passwordless verify', [
    {
      key: 'validate_otp',
      type: 'request',
      options: {
        method: 'POST',
        url: `${sessions}{{$trigger.query.session_uuid}}/`,
        headers,
        body: JSON.stringify({ otp: '{{$trigger.query.otp}}' }),
      },
    },
    // Fix 2: the step the post's last script reads, and whose token the Update Data saves.
    { key: 'generate_session_token', type: 'exec', options: { code: GENERATE_TOKEN } },
    {
      key: 'save_token',
      type: 'item-update',
      options: {
        ...fullAccess,
        payload: { token: '{{$last.token}}' },
        query: { filter: { otp_session_uuid: { _eq: '{{$trigger.query.session_uuid}}' } } },
      },
    },
    {
      key: 'return_token',
      type: 'exec',
      options: { code: 'module.exports = async function(data) {\n\treturn data.generate_session_token;\n}' },
    },
  ]);
  return { startUrl: `${target.directusUrl}/flows/trigger/${start}`, verifyUrl: `${target.directusUrl}/flows/trigger/${verify}` };
}

type Admin = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function adminClient(target: FlowsTarget): Admin {
  return async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${target.directusUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${target.adminToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Directus ${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return (text ? (JSON.parse(text) as { data: T }).data : undefined) as T;
  };
}

/** A webhook flow (GET, caching off, synchronous, answering with the last step's data) and its chain of steps. */
async function createFlow(admin: Admin, name: string, operations: Operation[]): Promise<string> {
  const flow = await admin<{ id: string }>('POST', '/flows', {
    name,
    status: 'active',
    trigger: 'webhook',
    accountability: 'all',
    options: { method: 'GET', async: false, cacheEnabled: false, return: '$last' },
  });
  let next: string | null = null;
  // Created last to first, so each step can name the one it resolves to.
  for (const [index, op] of [...operations].reverse().entries()) {
    const created: { id: string } = await admin('POST', '/operations', {
      ...op,
      name: op.key,
      flow: flow.id,
      resolve: next,
      position_x: 19 * (operations.length - index),
      position_y: 1,
    });
    next = created.id;
  }
  await admin('PATCH', `/flows/${flow.id}`, { operation: next });
  return flow.id;
}
