// An in-memory SetupClient for unit tests (no network).
import type { FieldDefinition, FieldInfo, PolicyInfo, RoleInfo, SetupClient } from './client';

export interface FakeState {
  admin: boolean;
  fields: FieldInfo[];
  /** token_expires_at: set where the app (static strategy) wrote the user's token. */
  users: { id: string; phone: string | null; token_expires_at?: string | null }[];
  roles: { id: string; name: string }[];
  policies: PolicyInfo[];
  access: { role: string; policy: string }[];
  /** The sms-sign-in extension: absent (not loaded), loaded with no key (not configured), or its key. */
  extension: { loaded: false } | { loaded: true; key: string | null };
}

export const FAKE_EXTENSION_KEY = 'fake-sms-sign-in-app-key-0123456789abcdef';

export function fakeState(partial: Partial<FakeState> = {}): FakeState {
  return {
    admin: true,
    fields: [
      { field: 'id', type: 'uuid', schema: { is_nullable: false }, meta: null },
      { field: 'email', type: 'string', schema: { is_unique: true, is_nullable: true, max_length: 128 }, meta: null },
    ],
    users: [],
    roles: [],
    policies: [],
    access: [],
    extension: { loaded: true, key: FAKE_EXTENSION_KEY },
    ...partial,
  };
}

export function createFakeClient(state: FakeState): SetupClient & { calls: string[]; writes: () => number } {
  const calls: string[] = [];
  let writes = 0;
  let seq = 0;
  const write = (what: string) => {
    calls.push(what);
    writes += 1;
  };
  const roleInfo = (r: { id: string; name: string }): RoleInfo => ({
    ...r,
    policies: state.access
      .filter((a) => a.role === r.id)
      .map((a) => state.policies.find((p) => p.id === a.policy))
      .filter((p): p is PolicyInfo => !!p),
  });
  return {
    calls,
    writes: () => writes,
    async myGlobals() {
      calls.push('myGlobals');
      return { admin_access: state.admin, app_access: state.admin };
    },
    async readUserFields() {
      calls.push('readUserFields');
      return structuredClone(state.fields);
    },
    async createUserField(def: FieldDefinition) {
      write(`createUserField ${def.field}`);
      state.fields.push({ field: def.field, type: def.type, schema: { ...def.schema }, meta: { ...def.meta } });
    },
    async updateUserField(field, patch) {
      write(`updateUserField ${field}`);
      const f = state.fields.find((x) => x.field === field);
      if (!f) throw new Error(`no field ${field}`);
      if (patch.schema?.is_unique) {
        const values = state.users.map((u) => u.phone).filter((p) => p !== null);
        if (new Set(values).size !== values.length) throw new Error('unique index would fail');
      }
      f.schema = { ...f.schema, ...patch.schema };
      f.meta = { ...f.meta, ...patch.meta };
    },
    async readPhones() {
      calls.push('readPhones');
      return state.users.flatMap((u) => (u.phone === null ? [] : [{ id: u.id, phone: u.phone }]));
    },
    async updateUserPhone(id, phone) {
      write(`updateUserPhone ${id}`);
      const u = state.users.find((x) => x.id === id);
      if (!u) throw new Error(`no user ${id}`);
      u.phone = phone;
    },
    async readStaticTokenHolders() {
      calls.push('readStaticTokenHolders');
      return state.users.filter((u) => u.token_expires_at).map((u) => u.id);
    },
    async clearStaticTokens(ids) {
      write(`clearStaticTokens ${ids.join(',')}`);
      for (const u of state.users) if (ids.includes(u.id)) u.token_expires_at = null;
    },
    async findRoleByName(name) {
      const r = state.roles.find((x) => x.name === name);
      return r ? roleInfo(r) : null;
    },
    async createRole(name) {
      write(`createRole ${name}`);
      const id = `role-${++seq}`;
      state.roles.push({ id, name });
      return id;
    },
    async findPolicyByName(name) {
      return state.policies.find((p) => p.name === name) ?? null;
    },
    async createPolicy(policy) {
      write(`createPolicy ${policy.name}`);
      const id = `policy-${++seq}`;
      state.policies.push({ id, name: policy.name, app_access: policy.app_access, admin_access: policy.admin_access });
      return id;
    },
    async attachPolicyToRole(role, policy) {
      write(`attachPolicyToRole ${role} ${policy}`);
      state.access.push({ role, policy });
    },
    async probeExtension(key) {
      calls.push('probeExtension');
      const { extension } = state;
      if (!extension.loaded) return { status: 404, code: 'ROUTE_NOT_FOUND' };
      if (extension.key === null) return { status: 503, code: 'not_configured' };
      if (key !== extension.key) return { status: 401, code: 'invalid_app_key' };
      // Its lookup reads directus_users.phone, which a Directus the setup has not prepared lacks.
      return state.fields.some((f) => f.field === 'phone') ? { status: 200 } : { status: 503, code: 'phone_field_missing' };
    },
  };
}
