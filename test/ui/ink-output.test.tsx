/**
 * The patched Ink (source/patches) reuses a row's text when its cells are those of the previous frame.
 * A row that changes, even to text of the same width and back, must be drawn anew.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Box, render, Text } from 'ink';
import { frameRecorder, pause } from './fixtures.js';

function Rows(props: { lines: readonly string[] }) {
  return (
    <Box flexDirection="column">
      {props.lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional here
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
}

describe('Ink frames after the row-reuse patch', () => {
  it('draw every changed row, to the same width and back, and keep the unchanged ones', async () => {
    const { stdout, last } = frameRecorder(10, 20);
    const frames: string[][] = [
      ['orders   12', 'payments  3', 'refunds   0'],
      ['orders   12', 'payments  4', 'refunds   0'],
      ['orders   12', 'payments  3', 'refunds   0'],
      ['orders   13', 'payments  3', 'refunds   0'],
      ['orders   13', 'payments  3'],
      ['orders   13', 'payments  3', 'refunds   0'],
    ];
    const instance = render(<Rows lines={frames[0] as string[]} />, {
      stdout,
      debug: true,
      patchConsole: false,
    });
    try {
      for (const lines of frames) {
        instance.rerender(<Rows lines={lines} />);
        await pause(20);
        assert.deepEqual(last().split('\n'), lines);
      }
    } finally {
      instance.unmount();
    }
  });
});
