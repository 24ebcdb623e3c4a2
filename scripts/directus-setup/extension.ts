// The app's credential strategy as the setup sees it: for `session`, is the sms-sign-in extension
// loaded and configured on the target Directus (what one harmless lookup answers,
// lib/sign-in-extension-probe.ts), and which variables to set in Directus and in the app. Pure.
import { randomBytes } from 'node:crypto';
import { classifyProbe, PROBE_PATH, type ExtensionProbe } from '../../lib/sign-in-extension-probe';

export const CREDENTIALS = ['session', 'static'] as const;
export type Credentials = (typeof CREDENTIALS)[number];

/** A suggestion for SMS_SIGN_IN_APP_KEY: 32 random bytes, base64url (43 characters). */
export function newAppKey(): string {
  return randomBytes(32).toString('base64url');
}

export interface Variable {
  name: string;
  value: string;
}

export interface CredentialsInput {
  /** The lookup's answer; null with the static strategy (not asked). */
  probe: ExtensionProbe | null;
  /** Whether the user gave the app's key (--extension-key): it is never printed. */
  keyGiven: boolean;
  /** Printed where Directus needs a key and none was given. */
  newKey: string;
  memberRole?: { name: string; id?: string };
  /** A dry run on a Directus without the phone field, which this setup would create: the probe cannot find it yet. */
  phoneFieldPending?: boolean;
}

export interface CredentialsPlan {
  /** One line on the extension; absent with the static strategy. */
  extension?: string;
  problems: string[];
  notes: string[];
  /** What to set in Directus's environment (empty when it has what it needs). */
  directus: Variable[];
  app: Variable[];
}

const EXTENSION_README = 'extensions/sms-sign-in/README.md';
const GIVEN_KEY = '<the key you gave>';
const DIRECTUS_KEY = '<the SMS_SIGN_IN_APP_KEY set in Directus>';

const sessionApp = (key: string): Variable[] => [
  { name: 'DIRECTUS_CREDENTIALS', value: 'session' },
  { name: 'DIRECTUS_EXTENSION_KEY', value: key },
];

/** The member role's id, or what to write in its place: the roles whose users may sign in by SMS. */
function memberRoleIds(memberRole: CredentialsInput['memberRole']): string {
  return (
    memberRole?.id ??
    (memberRole ? `<the id of role "${memberRole.name}">` : '<the member role id (--create-member-role NAME creates or finds it)>')
  );
}

/** The extension's required settings (the optional ones keep their defaults). */
function directusVariables(key: string, memberRole: CredentialsInput['memberRole']): Variable[] {
  return [
    { name: 'SMS_SIGN_IN_APP_KEY', value: key },
    { name: 'SMS_SIGN_IN_MEMBER_ROLES', value: memberRoleIds(memberRole) },
    { name: 'SMS_SIGN_IN_PLIVO_AUTH_ID', value: '<your Plivo auth id>' },
    { name: 'SMS_SIGN_IN_PLIVO_AUTH_TOKEN', value: '<your Plivo auth token>' },
    { name: 'SMS_SIGN_IN_PLIVO_APP_UUID', value: '<your Plivo Verify application uuid>' },
  ];
}

// The extension's own setting decides who may sign in: a role it does not list gets the decoy path.
const memberRoleNote = (name: string, id: string) =>
  `Role "${name}" (id ${id}) signs in by SMS only once its id is in the extension's SMS_SIGN_IN_MEMBER_ROLES in Directus ` +
  '(comma-separated, beside the roles there already), and Directus is restarted: until then its users get what strangers get.';

export function planCredentials({ probe, keyGiven, newKey, memberRole, phoneFieldPending }: CredentialsInput): CredentialsPlan {
  if (probe === null) {
    return {
      problems: [],
      notes: [
        'Sign-in extension not checked (--credentials static): the app writes a static token per member with its service ' +
          'user\'s DIRECTUS_TOKEN, as powerful as an admin token on unlicensed Directus (README.md, "The static strategy\'s service account").',
        'That service user also needs read on directus_roles, directus_access and directus_policies: the app checks that nobody ' +
          'with admin or Studio access, or two-factor, signs in by SMS (README.md, "The static strategy\'s service account").',
        `With SIGN_UP=open the app also needs DIRECTUS_MEMBER_ROLE=${memberRoleIds(memberRole)}, the role newcomers get (one of DIRECTUS_MEMBER_ROLES).`,
      ],
      directus: [],
      app: [
        { name: 'DIRECTUS_CREDENTIALS', value: 'static' },
        { name: 'DIRECTUS_TOKEN', value: "<the app's service user's static token>" },
        { name: 'DIRECTUS_MEMBER_ROLES', value: memberRoleIds(memberRole) },
      ],
    };
  }
  const answer = `${probe.status}${probe.code ? ` ${probe.code}` : ''}`;
  // Directus lacks the extension or its settings: everything to set, with a key to set in both.
  const needsSettings = (extension: string, problem: string): CredentialsPlan => {
    const key = keyGiven ? GIVEN_KEY : newKey;
    return {
      extension,
      problems: [problem],
      notes: keyGiven
        ? []
        : [
            'SMS_SIGN_IN_APP_KEY and DIRECTUS_EXTENSION_KEY below are a new random key made for this run: set the same in both, and keep it secret.',
          ],
      directus: directusVariables(key, memberRole),
      app: sessionApp(key),
    };
  };
  // Directus has what it needs, but for a member role named here, which its own setting may not list yet.
  const appOnly = (extension: string, key: string, problems: string[] = [], notes: string[] = []): CredentialsPlan => ({
    extension,
    problems,
    notes: [...notes, ...(memberRole?.id ? [memberRoleNote(memberRole.name, memberRole.id)] : [])],
    directus: memberRole?.id ? [{ name: 'SMS_SIGN_IN_MEMBER_ROLES', value: `<the roles there already>,${memberRole.id}` }] : [],
    app: sessionApp(key),
  });
  switch (classifyProbe(probe, keyGiven)) {
    case 'not-loaded':
      return needsSettings(
        `not loaded (POST ${PROBE_PATH}: ${answer})`,
        `The sms-sign-in extension is not loaded on this Directus (${answer} on POST ${PROBE_PATH}), and the session strategy needs it: ` +
          `install it (${EXTENSION_README}, "Install on a self-hosted Directus"), set the Directus variables below, restart Directus and rerun; ` +
          'or use --credentials static.',
      );
    case 'not-configured':
      return needsSettings(
        `loaded, not configured (POST ${PROBE_PATH}: ${answer})`,
        `The sms-sign-in extension is loaded but not configured (${answer}): set the Directus variables below ` +
          '(Directus logs each missing or wrong one at start, in lines starting with "sms-sign-in:"), restart Directus and rerun.',
      );
    case 'configured':
      return appOnly(
        `loaded and configured (${answer} without a key)`,
        DIRECTUS_KEY,
        [],
        ["Pass --extension-key (or DIRECTUS_EXTENSION_KEY) to check the app's key against the extension's."],
      );
    case 'key-matches':
      return appOnly(`loaded and configured; the key you gave matches (${answer})`, GIVEN_KEY);
    case 'no-phone-field':
      if (phoneFieldPending)
        return appOnly(
          `loaded and configured; the key you gave matches (${answer}: it waits for the phone field this setup creates)`,
          GIVEN_KEY,
        );
      return appOnly(`loaded and configured; the key you gave matches (${answer})`, GIVEN_KEY, [
        `The sms-sign-in extension finds no directus_users.phone column (${answer}) although the field is set up: ` +
          "check that Directus and the extension use the same database, and Directus's log.",
      ]);
    case 'key-wrong':
      return appOnly(`loaded and configured; the key you gave does not match (${answer})`, DIRECTUS_KEY, [
        "The key you gave is not the sms-sign-in extension's SMS_SIGN_IN_APP_KEY on this Directus: set the app's DIRECTUS_EXTENSION_KEY " +
          'to the key set in Directus (or a new key in both, then restart Directus).',
      ]);
    case 'unexpected':
      return appOnly(`unexpected answer (POST ${PROBE_PATH}: ${answer})`, DIRECTUS_KEY, [
        `POST ${PROBE_PATH} answered HTTP ${answer}${keyGiven ? '' : ' without a key'}, which is not an answer of the sms-sign-in extension: ` +
          "check Directus's log (and any proxy in front of it).",
      ]);
  }
}
