import { vi } from 'vitest';

// `server-only` throws outside Next's react-server condition; tests import server modules directly.
vi.mock('server-only', () => ({}));
