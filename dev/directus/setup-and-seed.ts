// After every start: directus:setup (the fields of the strategies asked for, member role and its
// policy) and the local seed (demo member, members area; the service account only for the static
// strategy), all idempotent.
import { LOCAL_STACK } from '../../lib/local-stack';
import type { Credentials } from '../../scripts/directus-setup/extension';
import { formatReport, runSetup } from '../../scripts/directus-setup/setup';
import type { Log } from './child';
import { createLocalMemberRole, seedLocalDirectus } from './seed';
import { seedMembersArea } from './seed-members';

const LOCAL_MEMBER_ROLE = 'Member';

/** Returns the member role's id. */
export async function setupAndSeed(url: string, log: Log, strategies: readonly Credentials[]): Promise<string> {
  const adminToken = LOCAL_STACK.directus.adminToken;
  const withStatic = strategies.includes('static');
  await createLocalMemberRole({ url, adminToken, name: LOCAL_MEMBER_ROLE });
  // The static strategy's fields include the session strategy's. The extension is configured by
  // startLocalDirectus itself (and misconfigured by some tests on purpose): nothing to advise.
  const report = await runSetup({
    url,
    token: adminToken,
    createMemberRole: LOCAL_MEMBER_ROLE,
    credentials: withStatic ? 'static' : 'session',
    adviseCredentials: false,
  });
  if (report.changes.length > 0 || report.problems.length > 0) for (const line of formatReport(report)) log(`setup: ${line}`);
  else log('setup: fields and member role already in place');
  if (report.problems.length > 0) throw new Error(`directus:setup found problems on the local Directus (see above).`);
  const { id: memberRoleId, policyId: memberPolicyId } = report.memberRole ?? {};
  if (!memberRoleId || !memberPolicyId) throw new Error('directus:setup did not report the member role and its policy');
  await seedLocalDirectus({ url, adminToken, memberRoleId, serviceAccount: withStatic, log });
  await seedMembersArea({ url, adminToken, memberPolicyId, log });
  return memberRoleId;
}
