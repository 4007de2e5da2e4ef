interface Waiter {
  exclusive: boolean;
  grant(): void;
}

/**
 * A readers-writer lock for async work, granted first come, first served:
 * shared holders run together, an exclusive one alone, and a waiting
 * exclusive holder keeps later shared ones waiting, so it is never starved.
 */
export class SharedExclusive {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: Waiter[] = [];

  runShared<T>(work: () => Promise<T>): Promise<T> {
    return this.run(false, work);
  }

  runExclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.run(true, work);
  }

  private async run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    await new Promise<void>((grant) => {
      this.waiting.push({ exclusive, grant });
      this.grantWaiting();
    });
    try {
      return await work();
    } finally {
      if (exclusive) this.exclusive = false;
      else this.shared -= 1;
      this.grantWaiting();
    }
  }

  private grantWaiting(): void {
    for (let next = this.waiting[0]; next !== undefined; next = this.waiting[0]) {
      if (this.exclusive || (next.exclusive && this.shared > 0)) return;
      this.waiting.shift();
      if (next.exclusive) this.exclusive = true;
      else this.shared += 1;
      next.grant();
    }
  }
}
