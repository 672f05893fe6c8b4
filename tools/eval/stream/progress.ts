/** A progress line on a terminal; nothing in pipes and CI. */
export interface Progress {
  (done: number, total: number): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream, label: string): Progress {
  const tty = stream.isTTY === true;
  const update = (done: number, total: number) => {
    if (tty) stream.write(`\r${label}: ${done}/${total}`);
  };
  return Object.assign(update, {
    done: () => {
      if (tty) stream.write('\r\x1b[K');
    },
  });
}
