import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_PORTS,
  parsePortRange,
  portLayoutProblem,
  portsInRange,
  portsWithOffset,
} from '../../source/lab/layout.js';

const LINUX_DEFAULT = { low: 32768, high: 60999 };

describe('lab ports and the ephemeral range', () => {
  it('reads /proc/sys/net/ipv4/ip_local_port_range text', () => {
    assert.deepEqual(parsePortRange('32768\t60999\n'), LINUX_DEFAULT);
    assert.equal(parsePortRange('garbage'), undefined);
    assert.equal(parsePortRange('5000 4000'), undefined);
  });

  it('keeps the default layout and the offsets the tests use out of the default range', () => {
    assert.deepEqual(portsInRange(DEFAULT_PORTS, 3, LINUX_DEFAULT), []);
    for (const offset of [500, 1000, 1500, 2000, 2500, 2700, 3000, 3300]) {
      assert.deepEqual(portsInRange(portsWithOffset(offset), 3, LINUX_DEFAULT), [], `offset ${offset}`);
    }
  });

  it('names every listening port in the range, brokers beyond the first included', () => {
    assert.deepEqual(portsInRange(portsWithOffset(3400), 3, LINUX_DEFAULT), [32804]);
    assert.deepEqual(
      portsInRange(portsWithOffset(7000), 2, LINUX_DEFAULT),
      [35083, 36092, 36093, 36095, 36102, 36105, 36404],
    );
  });

  it('refuses an offset that puts a port outside 1024-65535', () => {
    assert.equal(portLayoutProblem(portsWithOffset(3300), 3), null);
    assert.match(
      portLayoutProblem(portsWithOffset(70_000), 1) ?? '',
      /82181-99404: they must lie in 1024-65535/,
    );
    assert.match(
      portLayoutProblem(portsWithOffset(-12_000), 1) ?? '',
      /^--port-offset puts the lab's ports at 181-/,
    );
    assert.match(portLayoutProblem(portsWithOffset(36_140), 3) ?? '', /65544/);
  });
});
