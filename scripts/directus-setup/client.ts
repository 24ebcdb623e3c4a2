// The few Directus operations the setup needs, behind an interface so the logic is unit-testable.
import { probeSignInExtension, type ExtensionProbe } from '../../lib/sign-in-extension-probe';
import { createHttp, type HttpOptions } from './http';

export interface FieldInfo {
  field: string;
  type: string;
  schema: { is_unique?: boolean; is_nullable?: boolean; max_length?: number | null } | null;
  meta: Record<string, unknown> | null;
}

export interface FieldDefinition {
  field: string;
  type: string;
  schema: Record<string, unknown>;
  meta: Record<string, unknown>;
}

export interface PolicyInfo {
  id: string;
  name: string;
  app_access: boolean;
  admin_access: boolean;
}

export interface RoleInfo {
  id: string;
  name: string;
  policies: PolicyInfo[];
}

export interface SetupClient {
  /** `admin_access` / `app_access` of the token's own user. */
  myGlobals(): Promise<{ admin_access: boolean; app_access: boolean }>;
  readUserFields(): Promise<FieldInfo[]>;
  createUserField(def: FieldDefinition): Promise<void>;
  updateUserField(field: string, patch: Partial<FieldDefinition>): Promise<void>;
  /** All users whose phone is not null. */
  readPhones(): Promise<{ id: string; phone: string }[]>;
  updateUserPhone(id: string, phone: string | null): Promise<void>;
  /** The users holding a static token the app wrote (the static strategy sets token_expires_at with it). */
  readStaticTokenHolders(): Promise<string[]>;
  /** Nulls token and token_expires_at of these users: their static tokens stop working at once. */
  clearStaticTokens(ids: string[]): Promise<void>;
  findRoleByName(name: string): Promise<RoleInfo | null>;
  createRole(name: string, description: string): Promise<string>;
  findPolicyByName(name: string): Promise<PolicyInfo | null>;
  createPolicy(policy: { name: string; description: string; app_access: boolean; admin_access: boolean }): Promise<string>;
  attachPolicyToRole(roleId: string, policyId: string): Promise<void>;
  /** A lookup on the sms-sign-in extension, with the app's key if given (no admin token): its answer, whatever it is. */
  probeExtension(key?: string): Promise<ExtensionProbe>;
}

const POLICY_FIELDS = 'id,name,app_access,admin_access';

export function createSetupClient(options: HttpOptions): SetupClient {
  const http = createHttp(options);
  const q = encodeURIComponent;
  return {
    myGlobals: () => http('GET', '/policies/me/globals'),
    readUserFields: () => http('GET', '/fields/directus_users'),
    async createUserField(def) {
      await http('POST', '/fields/directus_users', def);
    },
    async updateUserField(field, patch) {
      await http('PATCH', `/fields/directus_users/${q(field)}`, patch);
    },
    readPhones: () => http('GET', `/users?fields=id,phone&limit=-1&filter=${q(JSON.stringify({ phone: { _nnull: true } }))}`),
    async updateUserPhone(id, phone) {
      await http('PATCH', `/users/${q(id)}?fields=id`, { phone });
    },
    async readStaticTokenHolders() {
      const rows = await http<{ id: string }[]>(
        'GET',
        `/users?fields=id&limit=-1&filter=${q(JSON.stringify({ token_expires_at: { _nnull: true } }))}`,
      );
      return rows.map((row) => String(row.id));
    },
    async clearStaticTokens(ids) {
      await http('PATCH', '/users?fields=id', { keys: ids, data: { token: null, token_expires_at: null } });
    },
    async findRoleByName(name) {
      const fields = `id,name,policies.policy.${POLICY_FIELDS.split(',').join(',policies.policy.')}`;
      const rows = await http<{ id: string; name: string; policies: { policy: PolicyInfo | null }[] }[]>(
        'GET',
        `/roles?fields=${fields}&limit=1&filter=${q(JSON.stringify({ name: { _eq: name } }))}`,
      );
      const row = rows[0];
      if (!row) return null;
      return {
        id: row.id,
        name: row.name,
        policies: (row.policies ?? []).map((p) => p.policy).filter((p): p is PolicyInfo => !!p),
      };
    },
    async createRole(name, description) {
      const row = await http<{ id: string }>('POST', '/roles?fields=id', { name, description, icon: 'person' });
      return row.id;
    },
    async findPolicyByName(name) {
      const rows = await http<PolicyInfo[]>(
        'GET',
        `/policies?fields=${POLICY_FIELDS}&limit=1&filter=${q(JSON.stringify({ name: { _eq: name } }))}`,
      );
      return rows[0] ?? null;
    },
    async createPolicy(policy) {
      const row = await http<{ id: string }>('POST', '/policies?fields=id', { icon: 'badge', ...policy });
      return row.id;
    },
    async attachPolicyToRole(roleId, policyId) {
      await http('POST', '/access', { role: roleId, policy: policyId });
    },
    probeExtension: (key) => probeSignInExtension({ url: options.url, key, timeoutMs: options.timeoutMs ?? 10_000, fetch: options.fetch }),
  };
}
