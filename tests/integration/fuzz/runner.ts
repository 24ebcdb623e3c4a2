// Sends generated requests over real HTTP, checks each answer against the contract and the oracle,
// and keeps the counts the run prints at the end.
import { checkContract } from './contract';
import { describeRequest, ROUTES, type FuzzRequest, type Observed } from './model';
import { expectationFor, type OracleConfig } from './oracle';
import { checkPassThroughAnswer, passThroughExpectation } from './pass-through';

export type Stats = {
  requests: number;
  serverErrors: number;
  byOutcome: Map<string, number>;
  slowest: { ms: number; what: string };
};

export function newStats(): Stats {
  return { requests: 0, serverErrors: 0, byOutcome: new Map(), slowest: { ms: 0, what: '' } };
}

export async function send(appUrl: string, request: FuzzRequest): Promise<Observed> {
  const started = performance.now();
  const response = await fetch(`${appUrl}${ROUTES[request.route].path}${request.query}`, {
    method: request.method,
    headers: request.headers,
    // Bytes, so that fetch adds no Content-Type of its own.
    body: request.body === undefined ? undefined : new TextEncoder().encode(request.body),
    redirect: 'manual',
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, ms: performance.now() - started };
}

export type Failure = {
  request: ReturnType<typeof describeRequest>;
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  problems: string[];
};

/** Every problem with one request's answer: the contract's rules, then the oracle's expectation. */
export function judge(request: FuzzRequest, response: Observed, config: OracleConfig): string[] {
  const passThrough = request.route === 'directus';
  const verdict = passThrough ? checkPassThroughAnswer(request, response) : checkContract(request, response);
  const problems = [...verdict.problems];
  if (
    response.status >= 500 ||
    response.status === 431 ||
    verdict.code === 'rsc-redirect' ||
    verdict.code === 'redirect' ||
    verdict.code === 'method'
  )
    return problems;
  if (!passThrough && request.method !== ROUTES[request.route].method) return problems;
  const expectation = passThrough ? passThroughExpectation(request) : expectationFor(request, config);
  const key = response.status === 200 ? '200' : (verdict.code ?? `status ${response.status}`);
  if (!expectation.allowed.has(key)) {
    problems.push(`answered ${key} (${response.status}); expected ${[...expectation.allowed].join(' | ')} because ${expectation.why}`);
  } else if (key === '200' && expectation.check && verdict.json !== undefined) {
    const wrong = expectation.check(verdict.json);
    if (wrong) problems.push(`${wrong} (${expectation.why})`);
  }
  return problems;
}

/** Sends a batch concurrently; throws one error naming every request whose answer broke a rule. */
export async function runBatch(appUrl: string, requests: FuzzRequest[], config: OracleConfig, stats: Stats): Promise<void> {
  const failures: Failure[] = [];
  await Promise.all(
    requests.map(async (request) => {
      let response: Observed;
      try {
        response = await send(appUrl, request);
      } catch (error) {
        stats.requests += 1;
        failures.push({
          request: describeRequest(request),
          problems: [`no answer: ${String(error)} ${String((error as Error).cause ?? '')}`],
        });
        return;
      }
      stats.requests += 1;
      if (response.status >= 500) stats.serverErrors += 1;
      const outcomeKey = `${request.route} ${request.method} ${response.status}${/"code":"(\w+)"/.exec(response.text)?.[1] ? ` ${/"code":"(\w+)"/.exec(response.text)![1]}` : ''}`;
      stats.byOutcome.set(outcomeKey, (stats.byOutcome.get(outcomeKey) ?? 0) + 1);
      if (response.ms > stats.slowest.ms) stats.slowest = { ms: response.ms, what: outcomeKey };
      const problems = judge(request, response, config);
      if (problems.length) {
        failures.push({
          request: describeRequest(request),
          status: response.status,
          body: response.text.slice(0, 500),
          headers: Object.fromEntries(
            [...response.headers].filter(([k]) => ['content-type', 'set-cookie', 'retry-after', 'allow', 'cache-control'].includes(k)),
          ),
          problems,
        });
      }
    }),
  );
  if (failures.length) {
    throw new Error(
      `${failures.length} of ${requests.length} answers broke the contract:\n${JSON.stringify(failures.slice(0, 5), null, 2)}`,
    );
  }
}
