import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from 'ink';
import { App } from '../../source/ui/App.js';
import { FilteredStdin } from '../../source/ui/input-filter.js';
import { buildSnapshot, clock, FakeActions, FakeFeed, FakeStdin, frameRecorder, pause } from './fixtures.js';

const settle = () => pause(30);

describe('FilteredStdin in front of Ink', () => {
  it('survives key chords Ink 6.8 cannot parse (Ctrl-F1, Ctrl-F5, mouse reports) and keeps working', async () => {
    const { stdout, last } = frameRecorder(24, 80);
    const raw = new FakeStdin();
    const instance = render(
      <App
        feed={new FakeFeed(buildSnapshot())}
        actions={new FakeActions()}
        readOnly={false}
        color={false}
        now={clock}
        onQuit={() => {}}
      />,
      {
        stdout,
        stdin: new FilteredStdin(raw) as unknown as NodeJS.ReadStream,
        debug: true,
        exitOnCtrlC: false,
        patchConsole: false,
      },
    );
    try {
      await settle();
      for (const chord of ['\x1b[1;5P', '\x1b[15;5~', '\x1b[<0;12;4M', '\x1b[1;5', 'Q']) {
        raw.type(chord);
        await settle();
      }
      raw.type('j');
      await settle();
      assert.match(last(), /› ↻ mirroring +apache-logs/, 'j moved from the first row to the second');
      assert.equal(raw.listenerCount('readable'), 1);
    } finally {
      instance.unmount();
    }
    assert.equal(raw.listenerCount('readable'), 0, 'detached from stdin on unmount');
  });
});
