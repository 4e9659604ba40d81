/** A value made on first use and then kept: how code that activation should not pay for is loaded. */
export class Lazy<T> {
  private made: { readonly value: T } | undefined;

  constructor(private readonly make: () => T) {}

  get value(): T {
    this.made ??= { value: this.make() };
    return this.made.value;
  }

  get isMade(): boolean {
    return this.made !== undefined;
  }
}

/**
 * Stands in for an object that is made on first use: the first property read makes it, and every
 * read and write is forwarded to it (methods bound to it). For services whose class lives in a bundle that
 * activation does not load; their methods are only called after activation.
 */
export function onFirstUse<T extends object>(make: () => T): T {
  const target = new Lazy(make);
  return new Proxy({} as T, {
    get(_stand_in, property) {
      const value: unknown = Reflect.get(target.value, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target.value) : value;
    },
    // Settings (a test's time-out, a hook) go to the object itself, not to the stand-in.
    set(_stand_in, property, value) {
      return Reflect.set(target.value, property, value);
    },
  });
}
