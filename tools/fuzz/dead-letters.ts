import type { DeadLetter } from '../../src/core/messages.js';
import type { Failures } from './failures.js';
import { tally } from './failures.js';

/** What each published message should come back as. */
export interface Expected {
  topic: string;
  code: string;
  bytes: number;
  family: string;
}

/**
 * Matches dead letters to the messages that caused them: by topic for
 * `<prefix>/fuzz/<i>`, else by the `fuzz_case` the payload echo carries.
 * Resolves `complete` once every expected message has exactly one letter, or
 * when none has come for `idleTimeoutMs` (then the missing ones are failures).
 */
export class DeadLetterCollector {
  readonly byCode: Record<string, number> = {};
  letters = 0;
  private readonly expected: Expected[] = [];
  private readonly seen: number[] = [];
  private distinct = 0;
  private sealed = false;
  private finish: (() => void) | undefined;
  private idle: NodeJS.Timeout | undefined;
  private idleTimeoutMs = 0;

  constructor(
    private readonly fuzzTopicPrefix: string,
    private readonly failures: Failures,
  ) {}

  expect(index: number, expected: Expected): void {
    this.expected[index] = expected;
    this.seen[index] = 0;
  }

  onLetter(text: string): void {
    this.letters += 1;
    this.armIdle();
    let letter: Partial<DeadLetter>;
    try {
      letter = JSON.parse(text) as Partial<DeadLetter>;
    } catch {
      this.failures.add(`dead letter is not JSON: ${text.slice(0, 120)}`);
      return;
    }
    tally(this.byCode, String(letter.code));
    const index = this.indexOf(letter);
    const want = index === undefined ? undefined : this.expected[index];
    if (index === undefined || want === undefined) {
      this.failures.add(`dead letter for no message we sent: ${text.slice(0, 200)}`);
      return;
    }
    const times = (this.seen[index] = (this.seen[index] ?? 0) + 1);
    if (times > 1) this.failures.add(`message ${index} (${want.family}) got ${times} dead letters`);
    else this.distinct += 1;
    if (typeof letter.reason !== 'string' || letter.reason.trim() === '') this.failures.add(`message ${index} (${want.family}): dead letter without a reason`);
    if (letter.code !== want.code) this.failures.add(`message ${index} (${want.family}): code ${letter.code}, expected ${want.code} (${letter.reason})`);
    if (letter.topic !== want.topic) this.failures.add(`message ${index}: dead letter topic ${letter.topic}, expected ${want.topic}`);
    if (letter.payload_bytes !== want.bytes) this.failures.add(`message ${index}: payload_bytes ${letter.payload_bytes}, expected ${want.bytes}`);
    this.checkDone();
  }

  /** Call once everything is published: from then on `complete` can resolve. */
  seal(idleTimeoutMs: number): Promise<void> {
    this.sealed = true;
    return new Promise<void>((resolve) => {
      this.finish = () => {
        clearTimeout(this.idle);
        this.finish = undefined;
        resolve();
      };
      this.idleTimeoutMs = idleTimeoutMs;
      this.armIdle();
      this.checkDone();
    });
  }

  private armIdle(): void {
    if (this.finish === undefined) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      const missing = this.expected.flatMap((e, i) => ((this.seen[i] ?? 0) === 0 ? [`${i} (${e.family})`] : []));
      this.failures.add(`no dead letter within ${this.idleTimeoutMs} ms for ${missing.length} message(s): ${missing.slice(0, 20).join(', ')}`);
      this.finish?.();
    }, this.idleTimeoutMs);
  }

  private checkDone(): void {
    if (this.sealed && this.distinct === this.expected.length) this.finish?.();
  }

  private indexOf(letter: Partial<DeadLetter>): number | undefined {
    const topic = letter.topic ?? '';
    if (topic.startsWith(this.fuzzTopicPrefix)) return toIndex(topic.slice(this.fuzzTopicPrefix.length));
    try {
      return toIndex((JSON.parse(letter.payload ?? '') as { fuzz_case?: unknown }).fuzz_case);
    } catch {
      return undefined;
    }
  }
}

function toIndex(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
