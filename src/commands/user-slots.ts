/**
 * The users of an enforcement run that may work at once: `size` slots, each held by one user while it
 * reads or changes the account. A user that must wait for something other than its own calls (the run's
 * re-check scan, mostly KMS) gives its slot up for the wait, so that the next user reads its own lists
 * meanwhile, and takes a slot again before it goes on, ahead of every user that has not started. So at
 * most `size` users send calls at once, IAM is not left idle while KMS is scanned, and a slot that frees
 * goes first to a user whose lists are read.
 */
export class UserSlots {
  private free: number;
  /** Users that gave their slot up for a wait and want one back: served first. */
  private readonly resuming: (() => void)[] = [];
  /** Users that have not started yet, in the order they asked. */
  private readonly starting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`slots must be a positive integer, not ${size}`);
    this.free = size;
  }

  /** Slots held now. */
  get busy(): number {
    return this.size - this.free;
  }

  /** A slot for a user that has not started: after every user waiting to resume, and after every earlier starter. */
  async acquire(): Promise<UserSlot> {
    await this.take(this.starting);
    return new UserSlot(
      () => this.give(),
      () => this.take(this.resuming),
    );
  }

  private take(queue: (() => void)[]): Promise<void> {
    // A free slot means nobody waits: give() hands a freed slot straight to the next in line.
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => queue.push(resolve));
  }

  private give(): void {
    const next = this.resuming.shift() ?? this.starting.shift();
    if (next) next();
    else this.free++;
  }
}

/** What a user does with its slot; UNBOUNDED_SLOT for a user that runs alone. */
export interface SlotHold {
  /**
   * Gives the slot up while `wait` settles, then takes one again (ahead of users that have not started) and
   * settles as `wait` did: the slot is held again when this returns or throws.
   */
  releasedWhile<T>(wait: Promise<T>): Promise<T>;
  /** Gives the slot up for good: the user is done. Idempotent. */
  release(): void;
}

/** One user's hold on a slot of UserSlots. */
export class UserSlot implements SlotHold {
  private held = true;

  constructor(
    private readonly give: () => void,
    private readonly takeAgain: () => Promise<void>,
  ) {}

  async releasedWhile<T>(wait: Promise<T>): Promise<T> {
    if (!this.held) return wait;
    this.held = false;
    this.give();
    try {
      return await wait;
    } finally {
      await this.takeAgain();
      this.held = true;
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    this.give();
  }
}

/** The hold of a user that runs alone (users run one after another): nothing to give up. */
export const UNBOUNDED_SLOT: SlotHold = {
  releasedWhile: <T>(wait: Promise<T>): Promise<T> => wait,
  release: () => undefined,
};
