import 'server-only';

export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

/**
 * Rejects once `ms` have passed. SDK timeouts are per socket phase, so a slowly trickling
 * upstream could outlive them; this bounds the whole call.
 */
export async function withDeadline<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
