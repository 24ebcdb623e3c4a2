import { checkHealth } from '@/lib/server/health';
import { handleRoute } from '@/lib/server/http';

export function GET() {
  return handleRoute({ route: 'health' }, async () => {
    const report = await checkHealth();
    return { body: report.body, status: report.status };
  });
}
