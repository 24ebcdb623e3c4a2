import { checkHealth } from '@/lib/server/health';

export async function GET() {
  const report = await checkHealth();
  return Response.json(report.body, { status: report.status, headers: { 'Cache-Control': 'no-store' } });
}
