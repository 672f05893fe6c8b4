/** Placeholder until the replay tool lands; replaced by the real comparison. */
export async function viaMqtt(_protocol: string, _data: string, _env: Record<string, string>): Promise<{ equal: boolean }> {
  throw new Error('--via-mqtt is not available yet');
}
