// The setup for any Directus: the fields the app's credential strategy needs on directus_users, an
// optional member role without Studio access, a check (and optional rewrite) of existing phone
// values, the static tokens left over from a move to `session`, and a check of the sms-sign-in
// extension the `session` strategy needs (after the fields: its lookup reads the phone field).
// Plain functions over a small client: `planSetup` and `planCredentials` are pure, `runSetup`
// reads state, plans, and applies unless dry-run.
import type { CountryCode } from 'libphonenumber-js/max';
import { createSetupClient, type FieldDefinition, type FieldInfo, type PolicyInfo, type RoleInfo, type SetupClient } from './client';
import { describeFailure, SetupFailure } from './errors';
import { newAppKey, planCredentials, type Credentials, type Variable } from './extension';
import { normaliseUrl } from './http';
import { analysePhones, E164_REGEX, type PhoneAnalysis } from './phones';

// Null must stay allowed: with only `_regex` (reference §5), Directus rejects `phone: null` as
// "Value is required", so a phone could never be cleared again.
export const PHONE_VALIDATION = { _or: [{ phone: { _null: true } }, { phone: { _regex: E164_REGEX } }] };
/** The rule of reference §5 (and earlier setups): replaced because it rejects null. */
export const LEGACY_PHONE_VALIDATION = { _and: [{ phone: { _regex: E164_REGEX } }] };
export const PHONE_VALIDATION_MESSAGE = 'Phone must be in international E.164 format, e.g. +447400123456';

const PHONE_FIELD: FieldDefinition = {
  field: 'phone',
  type: 'string',
  schema: { max_length: 20, is_unique: true, is_nullable: true },
  meta: {
    interface: 'input',
    options: { placeholder: '+447400123456', trim: true },
    validation: PHONE_VALIDATION,
    validation_message: PHONE_VALIDATION_MESSAGE,
    note: 'Mobile number in E.164 format, used for SMS sign-in',
  },
};

/** The static strategy's: when the token the app wrote on a member's row expires (the sweep nulls both). */
const TOKEN_EXPIRY_FIELD: FieldDefinition = {
  field: 'token_expires_at',
  type: 'timestamp',
  schema: { is_nullable: true },
  meta: { hidden: true, readonly: true, interface: 'datetime', note: 'SMS sign-in: expiry of the static token' },
};

/** The fields on directus_users a credential strategy needs: the session strategy keeps its state in directus_sessions. */
export function fieldDefinitions(credentials: Credentials): readonly FieldDefinition[] {
  return credentials === 'static' ? [PHONE_FIELD, TOKEN_EXPIRY_FIELD] : [PHONE_FIELD];
}

export function memberPolicyName(roleName: string): string {
  return `${roleName} (no Studio access)`;
}

export interface SetupOptions {
  url: string;
  token: string;
  dryRun?: boolean;
  createMemberRole?: string;
  fixPhones?: boolean;
  defaultCountry?: CountryCode;
  /** The app's credential strategy (default session): the fields it needs; for session, a check of the sms-sign-in extension. */
  credentials?: Credentials;
  /**
   * False: neither check the extension nor say what to set, for callers that configure the
   * extension and the app themselves (the local stack). Default true.
   */
  adviseCredentials?: boolean;
  /** With the session strategy: null the static tokens the app wrote under the static strategy. */
  clearStaticTokens?: boolean;
  /** The app's key for the extension, checked by the probe; never printed. */
  extensionKey?: string;
  timeoutMs?: number;
  /** Injected for tests; defaults to a fetch client for url/token. */
  client?: SetupClient;
}

export type Action =
  | { type: 'create-field'; def: FieldDefinition; description: string }
  | { type: 'update-field'; field: string; patch: Partial<FieldDefinition>; description: string }
  | { type: 'rewrite-phone'; id: string; value: string | null; description: string }
  | { type: 'clear-static-tokens'; ids: string[]; description: string }
  | {
      type: 'member-role';
      name: string;
      roleId?: string;
      policyId?: string;
      attach: boolean;
      description: string;
    };

export interface SetupState {
  fields: FieldInfo[];
  phones: { id: string; phone: string }[] | null;
  role: RoleInfo | null;
  policy: PolicyInfo | null;
  /** Users holding a static token the app wrote (read under the session strategy only; else null). */
  staticTokenHolders: string[] | null;
}

export interface Plan {
  actions: Action[];
  problems: string[];
  notes: string[];
  phones: PhoneAnalysis | null;
}

export interface SetupReport {
  url: string;
  dryRun: boolean;
  /** What was changed (or, in dry-run, what would be changed). Empty = no changes. */
  changes: string[];
  problems: string[];
  notes: string[];
  memberRole?: { name: string; id?: string; policyId?: string };
  /** The sms-sign-in extension as probed (session strategy). */
  extension?: string;
  /** What to set for the credential strategy, in Directus and in the app. */
  variables: { directus: Variable[]; app: Variable[] };
  phones?: { total: number; valid: number; rewritten: number; invalid: number; collisions: number };
}

function isEmptyValidation(meta: Record<string, unknown> | null): boolean {
  return !meta || meta.validation === null || meta.validation === undefined;
}

/** Pure: decides what to change from the current state and the options. */
export function planSetup(
  state: SetupState,
  options: Pick<SetupOptions, 'createMemberRole' | 'fixPhones' | 'defaultCountry' | 'credentials' | 'clearStaticTokens'>,
): Plan {
  const plan: Plan = { actions: [], problems: [], notes: [], phones: null };
  const byName = new Map(state.fields.map((f) => [f.field, f]));
  const validationActions: Action[] = [];
  const phoneActions: Action[] = [];
  const fieldActions: Action[] = [];

  for (const def of fieldDefinitions(options.credentials ?? 'session')) {
    const existing = byName.get(def.field);
    if (!existing) {
      fieldActions.push({
        type: 'create-field',
        def,
        description: `create field directus_users.${def.field} (${def.type}${def.field === 'phone' ? ', unique, E.164 validation' : ', hidden, read-only'})`,
      });
      continue;
    }
    if (existing.type !== def.type) {
      plan.problems.push(
        `Field directus_users.${def.field} exists with type "${existing.type}", expected "${def.type}". Not altering it: change or remove it by hand.`,
      );
      continue;
    }
    if (def.field !== 'phone') continue;

    // Existing phone field: check values, then make sure it is unique and validated.
    const rows = state.phones ?? [];
    const analysis = analysePhones(rows, options.defaultCountry);
    plan.phones = analysis;
    for (const r of analysis.rewrites) {
      const what = r.to === null ? `blank phone ${r.from} -> null` : `phone ${r.from} -> ${r.to}`;
      if (options.fixPhones) {
        phoneActions.push({ type: 'rewrite-phone', id: r.id, value: r.value, description: `rewrite ${what} (user ${r.id})` });
      } else {
        plan.problems.push(`User ${r.id}: ${what} needed (not E.164). Rerun with --fix-phones to rewrite.`);
      }
    }
    for (const f of analysis.invalid) plan.problems.push(`User ${f.id}: phone ${f.masked} is invalid: ${f.reason}. Fix by hand.`);
    for (const c of analysis.collisions) {
      plan.problems.push(
        `Users share the number ${c.e164Masked} (fix by hand, not rewritten): ${c.users.map((u) => `${u.id} (${u.masked})`).join(', ')}.`,
      );
    }

    // Order: validation first (so that blank -> null rewrites pass it), then the rewrites, then the
    // unique index (which needs the duplicates gone).
    if (isEmptyValidation(existing.meta)) {
      validationActions.push({
        type: 'update-field',
        field: 'phone',
        patch: { meta: { validation: PHONE_VALIDATION, validation_message: PHONE_VALIDATION_MESSAGE } },
        description: 'update field directus_users.phone: add E.164 validation',
      });
    } else if (JSON.stringify(existing.meta?.validation) === JSON.stringify(LEGACY_PHONE_VALIDATION)) {
      validationActions.push({
        type: 'update-field',
        field: 'phone',
        patch: { meta: { validation: PHONE_VALIDATION, validation_message: PHONE_VALIDATION_MESSAGE } },
        description: 'update field directus_users.phone: let the E.164 validation accept null (clearing a phone)',
      });
    }
    if (!existing.schema?.is_unique) {
      // The unique index can only be created when no two final values are equal.
      const rewrites = new Map(options.fixPhones ? analysis.rewrites.map((r) => [r.id, r.value]) : []);
      const finals = rows.map((r) => (rewrites.has(r.id) ? rewrites.get(r.id) : r.phone)).filter((v) => v !== null);
      const duplicates = finals.length - new Set(finals).size;
      if (duplicates > 0) {
        plan.problems.push(
          `Cannot make directus_users.phone unique: ${duplicates} duplicate value(s) would remain. ` +
            `Fix the users listed above${options.fixPhones ? '' : ' (or rerun with --fix-phones for blank/unformatted ones)'}, then rerun.`,
        );
      } else {
        fieldActions.push({
          type: 'update-field',
          field: 'phone',
          patch: { schema: { is_unique: true } },
          description: 'update field directus_users.phone: add unique index',
        });
      }
    }
    if (existing.schema?.max_length != null && existing.schema.max_length < 16) {
      plan.problems.push(
        `Field directus_users.phone has max length ${existing.schema.max_length}; E.164 numbers need up to 16. Widen it by hand.`,
      );
    }
  }

  if (options.createMemberRole) {
    const name = options.createMemberRole;
    const policyName = memberPolicyName(name);
    const { role, policy } = state;
    let usablePolicy = true;
    if (policy && (policy.app_access || policy.admin_access)) {
      usablePolicy = false;
      plan.problems.push(
        `Policy "${policyName}" exists but grants ${policy.admin_access ? 'admin' : 'Studio (app)'} access. Not changing it: fix it by hand.`,
      );
    }
    for (const p of role?.policies ?? []) {
      if (p.id !== policy?.id && (p.app_access || p.admin_access)) {
        plan.problems.push(
          `Role "${name}" has ${p.admin_access ? 'admin' : 'Studio (app)'} access through policy "${p.name}": members should have no Studio access.`,
        );
      }
    }
    const attached = !!policy && !!role && role.policies.some((p) => p.id === policy.id);
    const steps: string[] = [];
    if (!role) steps.push(`create role "${name}"`);
    if (!policy) steps.push(`create policy "${policyName}" (app_access: false, admin_access: false)`);
    if (usablePolicy && !attached) steps.push(`attach the policy to the role`);
    if (steps.length > 0 && usablePolicy) {
      fieldActions.push({
        type: 'member-role',
        name,
        roleId: role?.id,
        policyId: policy?.id,
        attach: !attached,
        description: steps.join(', '),
      });
    } else if (!role) {
      plan.problems.push(`Role "${name}" not created because its policy is unusable.`);
    }
  }

  // A site that moved from static to session: the app no longer uses these tokens, but Directus
  // accepts them until they are nulled (by the sweep, once expired, under the static strategy only).
  const holders = state.staticTokenHolders ?? [];
  if (holders.length > 0 && options.clearStaticTokens) {
    fieldActions.push({
      type: 'clear-static-tokens',
      ids: holders,
      description: `clear the static tokens the app wrote (token, token_expires_at) of ${holders.length} user(s)`,
    });
  } else if (holders.length > 0) {
    plan.notes.push(
      `${holders.length} user(s) still hold a static token the app wrote under the static strategy, valid until it expires: rerun with --clear-static-tokens to end them now.`,
    );
  }

  plan.actions = [...validationActions, ...phoneActions, ...fieldActions];
  return plan;
}

async function readState(client: SetupClient, options: SetupOptions): Promise<SetupState> {
  const globals = await client.myGlobals();
  if (!globals.admin_access) {
    throw new SetupFailure(
      'auth',
      `The token is not an admin token on Directus at ${normaliseUrl(options.url)}: the setup needs admin access.`,
    );
  }
  const fields = await client.readUserFields();
  const phoneField = fields.find((f) => f.field === 'phone');
  const phones =
    phoneField && phoneField.type === 'string'
      ? (await client.readPhones()).map((r) => ({ id: String(r.id), phone: String(r.phone) }))
      : null;
  let role: RoleInfo | null = null;
  let policy: PolicyInfo | null = null;
  if (options.createMemberRole) {
    role = await client.findRoleByName(options.createMemberRole);
    policy = await client.findPolicyByName(memberPolicyName(options.createMemberRole));
  }
  const moved = (options.credentials ?? 'session') === 'session' && fields.some((f) => f.field === TOKEN_EXPIRY_FIELD.field);
  const staticTokenHolders = moved ? await client.readStaticTokenHolders() : null;
  return { fields, phones, role, policy, staticTokenHolders };
}

async function apply(client: SetupClient, action: Action, report: SetupReport): Promise<void> {
  switch (action.type) {
    case 'create-field':
      await client.createUserField(action.def);
      return;
    case 'update-field':
      await client.updateUserField(action.field, action.patch);
      return;
    case 'rewrite-phone':
      await client.updateUserPhone(action.id, action.value);
      return;
    case 'clear-static-tokens':
      await client.clearStaticTokens(action.ids);
      return;
    case 'member-role': {
      const roleId =
        action.roleId ?? (await client.createRole(action.name, 'Members who sign in by SMS code (API only, no Studio access)'));
      const policyId =
        action.policyId ??
        (await client.createPolicy({
          name: memberPolicyName(action.name),
          description: 'SMS sign-in members: no Studio access, no admin access',
          app_access: false,
          admin_access: false,
        }));
      if (action.attach) await client.attachPolicyToRole(roleId, policyId);
      report.memberRole = { name: action.name, id: roleId, policyId };
      return;
    }
  }
}

/** Reads the state, plans, and applies the plan unless `dryRun`. Throws SetupFailure on errors. */
export async function runSetup(options: SetupOptions): Promise<SetupReport> {
  const url = normaliseUrl(options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = options.client ?? createSetupClient({ url, token: options.token, timeoutMs });
  const report: SetupReport = { url, dryRun: !!options.dryRun, changes: [], problems: [], notes: [], variables: { directus: [], app: [] } };
  try {
    const state = await readState(client, options);
    const plan = planSetup(state, options);
    report.problems.push(...plan.problems);
    report.notes.push(...plan.notes);
    if (options.createMemberRole) {
      report.memberRole = { name: options.createMemberRole, id: state.role?.id, policyId: state.policy?.id };
    }
    for (const action of plan.actions) {
      if (!options.dryRun) await apply(client, action, report);
      report.changes.push(action.description);
    }
    if (options.adviseCredentials !== false) {
      // After the actions: the extension's lookup reads the phone field, and a member role created
      // just now has its id. A dry run probes a Directus that may still lack the field.
      const probe = (options.credentials ?? 'session') === 'session' ? await client.probeExtension(options.extensionKey) : null;
      const phoneFieldPending =
        plan.actions.some((a) => a.type === 'create-field' && a.def.field === PHONE_FIELD.field) && !!options.dryRun;
      const credentials = planCredentials({
        probe,
        keyGiven: !!options.extensionKey,
        newKey: newAppKey(),
        memberRole: report.memberRole,
        phoneFieldPending,
      });
      report.extension = credentials.extension;
      report.problems.push(...credentials.problems);
      report.notes.push(...credentials.notes);
      report.variables = { directus: credentials.directus, app: credentials.app };
    }
    if (plan.phones) {
      const rewritten = plan.actions.filter((a) => a.type === 'rewrite-phone').length;
      report.phones = {
        total: plan.phones.total,
        valid: plan.phones.valid,
        rewritten,
        invalid: plan.phones.invalid.length,
        collisions: plan.phones.collisions.length,
      };
    }
    return report;
  } catch (err) {
    const failure = describeFailure(err, url, timeoutMs);
    if (report.changes.length > 0 && !options.dryRun) {
      failure.message += ` Changes applied before the failure: ${report.changes.join('; ')}.`;
    }
    throw failure;
  }
}

export function formatReport(report: SetupReport): string[] {
  const lines: string[] = [];
  const verb = report.dryRun ? 'Would change' : 'Changed';
  lines.push(`Directus setup for ${report.url}${report.dryRun ? ' (dry run: nothing changed)' : ''}`);
  if (report.changes.length === 0)
    lines.push(report.problems.length > 0 ? 'No changes made: see the problems below.' : 'No changes: already set up.');
  else {
    lines.push(`${verb} (${report.changes.length}):`);
    for (const c of report.changes) lines.push(`  - ${c}`);
  }
  if (report.phones) {
    const p = report.phones;
    lines.push(
      `Phones: ${p.total} set, ${p.valid} valid E.164, ${p.rewritten} ${report.dryRun ? 'to rewrite' : 'rewritten'}, ${p.invalid} invalid, ${p.collisions} collision group(s).`,
    );
  }
  if (report.memberRole) {
    const r = report.memberRole;
    lines.push(
      `Member role "${r.name}": ${r.id ? `id ${r.id}` : report.dryRun ? '(would be created)' : '(not created)'}${r.policyId ? `, policy ${r.policyId}` : ''}`,
    );
  }
  if (report.extension) lines.push(`Sign-in extension: ${report.extension}`);
  for (const n of report.notes) lines.push(`Note: ${n}`);
  if (report.problems.length > 0) {
    lines.push(`Problems (${report.problems.length}):`);
    for (const p of report.problems) lines.push(`  ! ${p}`);
  }
  const sections: [string, Variable[]][] = [
    [
      'Set in Directus (its environment or .env; see extensions/sms-sign-in/README.md, "Settings"), then restart it:',
      report.variables.directus,
    ],
    ['Set in the app:', report.variables.app],
  ];
  for (const [title, variables] of sections) {
    if (variables.length === 0) continue;
    lines.push(title);
    for (const v of variables) lines.push(`  ${v.name}=${v.value}`);
  }
  return lines;
}

export function exitCodeForReport(report: SetupReport): number {
  return report.problems.length > 0 ? 1 : 0;
}
