// CPU time a process has used so far (user + system), from /proc: what the bench divides by the
// requests of a block to get CPU ms per request.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux the bench targets

/** Fields 14 and 15 of /proc/<pid>/stat, after the command name (which may hold spaces). */
export function cpuMsFromStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

export function cpuMs(pid: number): number {
  return cpuMsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}
