import { inject } from 'vitest';

import { redisStore } from '@/lib/server/limit-store';
import { describeLimitStore } from '@/lib/server/limit-store.test-support';

// The same contract the memory store meets, against the real Redis of the test stack: counts and
// claims stay exact under parallel requests because each is one script or one SET NX.
const stack = inject('stack');

describeLimitStore('Redis', () => redisStore(stack.redisUrl, 1_000));
