import * as assert from 'node:assert/strict';
import { Pacer, PacingCancelled, type PacerClock } from '../../src/core/pacer';

/** Fake timers: time moves only when the test says so. */
class FakeClock implements PacerClock {
  time = 1_000_000;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Moves time forward, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > until) {
        break;
      }
      this.timers.shift();
      this.time = next.at;
      next.callback();
      await Promise.resolve();
    }
    this.time = until;
    await Promise.resolve();
  }
  get pending(): number {
    return this.timers.length;
  }
}

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('core/pacer (fake timers)', () => {
  it('off (0) never waits', () => {
    const pacer = new Pacer(0, new FakeClock());
    for (let i = 0; i < 100; i++) {
      assert.equal(pacer.acquire().waitMs, 0);
    }
  });

  it('3 per minute: the 4th and 5th wait for the oldest start to leave the 60 s window, in order', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(3, clock);
    assert.equal(pacer.acquire().waitMs, 0);
    await clock.advance(10_000);
    assert.equal(pacer.acquire().waitMs, 0);
    assert.equal(pacer.acquire().waitMs, 0);
    const fourth = pacer.acquire();
    const fifth = pacer.acquire();
    assert.equal(fourth.waitMs, 50_000, 'first start at 0 s leaves the window at 60 s; now is 10 s');
    assert.equal(fifth.waitMs, 60_000, 'second start at 10 s leaves at 70 s');
    await clock.advance(49_999);
    assert.equal(await settled(fourth.ready), false);
    await clock.advance(1);
    assert.equal(await settled(fourth.ready), true);
    assert.equal(await settled(fifth.ready), false);
    await clock.advance(10_000);
    assert.equal(await settled(fifth.ready), true);
    // At 70 s the window (10 s, 70 s] holds the 4th and 5th; the two at exactly 10 s have left it.
    assert.equal(pacer.inWindow(), 2);
  });

  it('a cancelled wait rejects with PacingCancelled and gives its slot back', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(1, clock);
    pacer.acquire();
    const controller = new AbortController();
    const waiting = pacer.acquire(controller.signal);
    assert.equal(waiting.waitMs, 60_000);
    controller.abort();
    await assert.rejects(waiting.ready, PacingCancelled);
    assert.equal(clock.pending, 0, 'its timer is cleared');
    // The slot it held is free again: the next request waits only for the first one's minute.
    await clock.advance(30_000);
    assert.equal(pacer.acquire().waitMs, 30_000);
  });

  it('an already aborted signal is refused at once', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(1, clock);
    pacer.acquire();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(pacer.acquire(controller.signal).ready, PacingCancelled);
  });

  it('after a quiet minute the full rate is available again', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(2, clock);
    pacer.acquire();
    pacer.acquire();
    await clock.advance(60_001);
    assert.equal(pacer.acquire().waitMs, 0);
    assert.equal(pacer.acquire().waitMs, 0);
    assert.ok(pacer.acquire().waitMs > 0);
  });

  it('turned off, it forgets the minute: requests made while off were never counted, so on again starts afresh', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(1, clock);
    pacer.acquire();
    const waiting = pacer.acquire();
    assert.ok(waiting.waitMs > 0);
    pacer.perMinute = 0;
    assert.equal(pacer.acquire().waitMs, 0);
    await clock.advance(1_000);
    pacer.perMinute = 1;
    assert.equal(pacer.acquire().waitMs, 0, 'the first request after turning it on again');
    assert.ok(pacer.acquire().waitMs > 0, 'the minute is counted again from there');
    // The request that was waiting when pacing went off still starts, at its slot.
    await clock.advance(60_000);
    assert.equal(await settled(waiting.ready), true);
  });
});

