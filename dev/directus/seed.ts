// Idempotent seed of the local Directus: the demo member, and the app's service account where the
// static strategy needs it (docs/local-stack.md).
import { LOCAL_STACK } from '../../lib/local-stack';
import type { Log } from './child';
import { createHttp, DirectusHttpError } from '../../scripts/directus-setup/http';

export const SERVICE_POLICY_NAME = 'SMS sign-in service';
const SERVICE_GRANTS = [
  ['directus_users', 'read'],
  ['directus_users', 'update'],
  ['directus_users', 'create'],
  ['directus_roles', 'read'],
  ['directus_access', 'read'],
  ['directus_policies', 'read'],
] as const;

interface SeedOptions {
  url: string;
  adminToken: string;
  memberRoleId: string;
  /** The static strategy's service account (admin-equivalent on unlicensed Directus): only where an app uses that strategy. */
  serviceAccount: boolean;
  log: Log;
}

const enc = (v: unknown) => encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Creates the member role with the local fixed id (LOCAL_STACK.directus.memberRoleId) unless a role
 * of that name exists; directus:setup then finds it by name and gives it its policy. The fixed id
 * lets the sign-in extension be configured before Directus has started.
 */
export async function createLocalMemberRole({ url, adminToken, name }: { url: string; adminToken: string; name: string }): Promise<void> {
  const admin = createHttp({ url, token: adminToken });
  const [existing] = await admin<{ id: string }[]>('GET', `/roles?fields=id&limit=1&filter=${enc({ name: { _eq: name } })}`);
  if (!existing) await admin('POST', '/roles?fields=id', { id: LOCAL_STACK.directus.memberRoleId, name, icon: 'person' });
}

export async function seedLocalDirectus({ url, adminToken, memberRoleId, serviceAccount, log }: SeedOptions): Promise<string[]> {
  const admin = createHttp({ url, token: adminToken });
  const changes = serviceAccount ? await seedServiceAccount(url, admin) : [];

  // Demo member (docs/local-stack.md): member role, no Studio access, no password.
  const demo = LOCAL_STACK.demoMember;
  const wanted = { ...demo, status: 'active', role: memberRoleId };
  const [existing] = await admin<Record<string, unknown>[]>(
    'GET',
    `/users?fields=id,first_name,last_name,email,phone,status,role&limit=1&filter=${enc({ email: { _eq: demo.email } })}`,
  );
  if (!existing) {
    await admin('POST', '/users?fields=id', wanted);
    changes.push(`created demo member ${demo.first_name} ${demo.last_name}`);
  } else {
    const patch = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => existing[k] !== v));
    if (Object.keys(patch).length > 0) {
      await admin('PATCH', `/users/${String(existing.id)}?fields=id`, patch);
      changes.push(`updated demo member (${Object.keys(patch).join(', ')})`);
    }
  }
  log(
    changes.length > 0
      ? `seed: ${changes.join('; ')}`
      : `seed: ${serviceAccount ? 'service account and demo member' : 'demo member'} already present`,
  );
  return changes;
}

/** The static strategy's service account: its policy and its user with the local static token. */
async function seedServiceAccount(url: string, admin: ReturnType<typeof createHttp>): Promise<string[]> {
  const changes: string[] = [];
  const d = LOCAL_STACK.directus;

  // The service policy: read + update on directus_users, fields "*" (the only grant Core accepts, docs/reference/directus.md §3.2),
  // and create, which the static strategy's sign-up (SIGN_UP=open) needs to add newcomers; read on
  // the roles, access rows and policies, which the static strategy's member rules look at.
  let policy = (
    await admin<{ id: string }[]>('GET', `/policies?fields=id&limit=1&filter=${enc({ name: { _eq: SERVICE_POLICY_NAME } })}`)
  )[0];
  if (!policy) {
    policy = await admin<{ id: string }>('POST', '/policies?fields=id', {
      name: SERVICE_POLICY_NAME,
      icon: 'sms',
      description:
        'API-only account of the SMS sign-in app. Full read + update on directus_users (admin-equivalent on unlicensed Directus 12).',
      app_access: false,
      admin_access: false,
    });
    changes.push(`created policy "${SERVICE_POLICY_NAME}"`);
  }
  const perms = await admin<{ collection: string; action: string }[]>(
    'GET',
    `/permissions?fields=collection,action&limit=-1&filter=${enc({ policy: { _eq: policy.id } })}`,
  );
  for (const [collection, action] of SERVICE_GRANTS) {
    if (perms.some((p) => p.collection === collection && p.action === action)) continue;
    await admin('POST', '/permissions', { policy: policy.id, collection, action, fields: ['*'] });
    changes.push(`granted ${action} on ${collection} to "${SERVICE_POLICY_NAME}"`);
  }

  // The service user with the local static token.
  const [svcUser] = await admin<{ id: string; status: string; policies: { policy: string }[] }[]>(
    'GET',
    `/users?fields=id,status,policies.policy&limit=1&filter=${enc({ email: { _eq: d.serviceEmail } })}`,
  );
  if (!svcUser) {
    await admin('POST', '/users?fields=id', {
      email: d.serviceEmail,
      first_name: 'SMS sign-in',
      last_name: 'Service',
      status: 'active',
      token: d.serviceToken,
      policies: [{ policy: policy.id }],
    });
    changes.push(`created service user ${d.serviceEmail}`);
  } else {
    const patch: Record<string, unknown> = {};
    if (svcUser.status !== 'active') patch.status = 'active';
    if (!svcUser.policies.some((p) => p.policy === policy.id)) patch.policies = { create: [{ policy: policy.id }], update: [], delete: [] };
    // The token can't be read back (always "**********"): check that it still authenticates as this user.
    const me = await createHttp({ url, token: d.serviceToken })<{ id: string }>('GET', '/users/me?fields=id').catch((err: unknown) => {
      if (err instanceof DirectusHttpError && err.status === 401) return null;
      throw err;
    });
    if (me?.id !== svcUser.id) patch.token = d.serviceToken;
    if (Object.keys(patch).length > 0) {
      await admin('PATCH', `/users/${svcUser.id}?fields=id`, patch);
      changes.push(`updated service user (${Object.keys(patch).join(', ')})`);
    }
  }
  return changes;
}
