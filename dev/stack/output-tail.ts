// The last lines of a child process's output, kept so that an error about it can show why.
export type OutputTail = { add(line: string): void; text(): string };

export function outputTail(maxLines = 30): OutputTail {
  const lines: string[] = [];
  return {
    add(line) {
      lines.push(line);
      if (lines.length > maxLines) lines.shift();
    },
    text: () => lines.join('\n') || '(none)',
  };
}
