import * as assert from 'node:assert/strict';
import { Lazy, onFirstUse } from '../../src/core/lazy';

class Counter {
  count = 0;
  readonly label = 'counter';
  add(n: number): number {
    this.count += n;
    return this.count;
  }
}

describe('Lazy and onFirstUse', () => {
  it('Lazy makes its value once, on first read', () => {
    let made = 0;
    const lazy = new Lazy(() => ++made);
    assert.equal(lazy.isMade, false);
    assert.equal(made, 0);
    assert.equal(lazy.value, 1);
    assert.equal(lazy.value, 1);
    assert.equal(made, 1);
    assert.equal(lazy.isMade, true);
  });

  it('onFirstUse makes nothing until a property is read, then forwards every read to one object', () => {
    let made = 0;
    const counter = onFirstUse(() => {
      made++;
      return new Counter();
    });
    assert.equal(made, 0, 'wiring the stand-in made the object');
    assert.equal(counter.add(2), 2);
    assert.equal(counter.add(3), 5);
    assert.equal(counter.label, 'counter');
    assert.equal(counter.count, 5);
    assert.equal(made, 1);
  });

  it('onFirstUse binds methods to the real object, so they work when passed around', () => {
    const counter = onFirstUse(() => new Counter());
    const add = counter.add;
    assert.equal(add(4), 4);
    assert.equal([1, 2].map((n) => counter.add(n)).at(-1), 7);
  });

  it('a failing maker throws at the first use, and again at the next (nothing half-made is kept)', () => {
    let attempts = 0;
    const broken = onFirstUse<Counter>(() => {
      attempts++;
      throw new Error('bundle missing');
    });
    assert.throws(() => broken.add(1), /bundle missing/);
    assert.throws(() => broken.add(1), /bundle missing/);
    assert.equal(attempts, 2);
  });

  it('onFirstUse forwards writes to the real object (a setting made through the stand-in is seen by its methods)', () => {
    let made = 0;
    const counter = onFirstUse(() => {
      made++;
      return new Counter();
    });
    counter.count = 10;
    assert.equal(made, 1);
    assert.equal(counter.add(1), 11);
    assert.equal(counter.count, 11);
  });
});
