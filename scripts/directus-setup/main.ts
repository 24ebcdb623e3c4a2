// `npm run directus:setup -- --url http://... --token <admin token> [--dry-run] ...` (see args.ts).
import { parseSetupArgs, USAGE } from './args';
import { FAILURE_EXIT_CODE, SetupFailure } from './errors';
import { exitCodeForReport, formatReport, runSetup } from './setup';

async function main(argv: string[]): Promise<number> {
  try {
    const parsed = parseSetupArgs(argv);
    if (parsed.help) {
      console.log(USAGE);
      return 0;
    }
    if (parsed.usingLocalDefaults) console.log('No --url/--token (or DIRECTUS_URL/DIRECTUS_ADMIN_TOKEN): using the local stack defaults.');
    const started = Date.now();
    const report = await runSetup(parsed.options);
    for (const line of formatReport(report)) console.log(line);
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
    return exitCodeForReport(report);
  } catch (err) {
    if (err instanceof SetupFailure) {
      console.error(`directus:setup: ${err.message}`);
      return FAILURE_EXIT_CODE;
    }
    console.error(`directus:setup: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    return FAILURE_EXIT_CODE;
  }
}

process.exitCode = await main(process.argv.slice(2));
