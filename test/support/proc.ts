/**
 * The machine's processes as Linux's /proc shows them, for tests that prove a run left nothing
 * behind. Zombies (dead, waiting for their parent to read the status) never count as running.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/PID/stat the tests read. */
export interface ProcStat {
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
}

/** A process's state, parent, group and session (undefined once it is gone). */
export function procStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, ppid, pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid), pgrp: Number(pgrp), session: Number(session) };
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a live (not zombie) process. */
export function alive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** The pids of every live process that `keep` accepts (a process gone meanwhile is skipped). */
export function liveProcesses(keep: (pid: number, stat: ProcStat) => boolean): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = procStat(pid);
    if (stat && stat.state !== 'Z' && keep(pid, stat)) found.push(pid);
  }
  return found;
}

/** A process's command line, its arguments joined by spaces ('' once it is gone or not ours to read). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** A process's environment entries (empty once it is gone or not ours to read). */
export function environment(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
}
