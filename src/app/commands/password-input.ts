/**
 * Where `npm run -s users -- add` gets a password: all of stdin when it is
 * piped (`printf %s "$PW" | npm run -s users -- add ...`), or a prompt that
 * does not echo, asked twice, when stdin is a terminal. Never from argv,
 * which other users can read in the process list.
 */

/** Shortest password accepted; device passwords are usually generated, people's should not be shorter. */
export const MIN_PASSWORD_LENGTH = 8;

export class PasswordInputError extends Error {
  override name = 'PasswordInputError';
}

interface Input extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export async function readPassword(input: Input, prompts: NodeJS.WritableStream): Promise<string> {
  let password: string;
  if (input.isTTY === true && input.setRawMode !== undefined) {
    password = await promptHidden('Password: ', input, prompts);
    const again = await promptHidden('Repeat password: ', input, prompts);
    if (again !== password) throw new PasswordInputError('the passwords do not match');
  } else {
    password = stripOneNewline(await readAll(input));
  }
  return checkPassword(password);
}

export function checkPassword(password: string): string {
  if (password.length === 0) throw new PasswordInputError('no password given (pipe it on stdin, or run in a terminal to be asked)');
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new PasswordInputError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

/** `echo pw |` adds a newline that is not part of the password; one is removed, other whitespace is kept. */
export function stripOneNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Raw mode, so nothing is echoed: Enter ends, Backspace deletes, Ctrl-C or Ctrl-D cancels. */
function promptHidden(prompt: string, input: Input, output: NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    // Echo off before the prompt shows: whatever is typed once it is visible must not appear.
    input.setRawMode?.(true);
    output.write(prompt);
    let chars: string[] = [];
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      outcome();
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(chars.join('')));
        if (ch === '\u0003' || ch === '\u0004') return finish(() => reject(new PasswordInputError('cancelled')));
        if (ch === '\u007f' || ch === '\b') chars = chars.slice(0, -1);
        else chars.push(ch);
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
