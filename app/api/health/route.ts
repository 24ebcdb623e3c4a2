import { checkHealth } from '@/lib/server/health';
import { handleError } from '@/lib/server/http';

export async function GET() {
  try {
    const report = await checkHealth();
    return Response.json(report.body, { status: report.status, headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return handleError(error, 'internal');
  }
}
