/** What the numbers were measured on: cores, CPU model, Node version, load. */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  loadAtStart: number[];
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpuModel(),
    node: process.version,
    loadAtStart: loadNow(),
  };
}

export function loadNow(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
