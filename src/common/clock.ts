import { Injectable } from '@nestjs/common';

/** Time is injected so expiry, throttling and tokens are testable with a fake clock. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Today's date as `YYYY-MM-DD` (UTC). */
  today(): string {
    return this.now().toISOString().slice(0, 10);
  }
}

/** A clock for tests: starts at a fixed instant and moves only when told. */
export class FakeClock extends Clock {
  constructor(private current = new Date('2026-03-02T10:00:00.000Z')) {
    super();
  }

  override now(): Date {
    return new Date(this.current.getTime());
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
