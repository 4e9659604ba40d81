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
