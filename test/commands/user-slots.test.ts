/** UserSlots: at most `size` users hold a slot; one that waits without it gets one back before new users. Unit tests. */
import { UNBOUNDED_SLOT, UserSlots } from '../../src/commands/user-slots';

/** Lets every settled promise's continuations run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('UserSlots', () => {
  test('GIVEN 2 slots WHEN 3 users ask THEN 2 hold one and the third gets the first that is released', async () => {
    const slots = new UserSlots(2);
    const order: string[] = [];
    const first = await slots.acquire();
    await slots.acquire();
    const third = slots.acquire().then((slot) => {
      order.push('third');
      return slot;
    });
    await settle();
    expect(order).toEqual([]);
    expect(slots.busy).toBe(2);

    first.release();
    first.release();
    await third;

    expect(order).toEqual(['third']);
    expect(slots.busy).toBe(2);
  });

  test('GIVEN a user waiting without its slot WHEN its wait ends while a new user also waits THEN the next freed slot goes to the waiting user first', async () => {
    const slots = new UserSlots(1);
    const waiter = await slots.acquire();
    let endWait: () => void = () => {};
    const order: string[] = [];

    const resumed = waiter.releasedWhile(new Promise<void>((resolve) => (endWait = resolve))).then(() => order.push('resumed'));
    const newcomer = await slots.acquire();
    order.push('newcomer started');
    const late = slots.acquire().then((slot) => {
      order.push('late started');
      return slot;
    });
    endWait();
    await settle();
    expect(order).toEqual(['newcomer started']);

    newcomer.release();
    await resumed;
    await settle();
    expect(order).toEqual(['newcomer started', 'resumed']);

    waiter.release();
    await late;
    expect(order).toEqual(['newcomer started', 'resumed', 'late started']);
  });

  test('GIVEN a wait that fails WHEN waited without the slot THEN the failure comes back with the slot held again', async () => {
    const slots = new UserSlots(1);
    const slot = await slots.acquire();

    await expect(slot.releasedWhile(Promise.reject(new Error('scan failed')))).rejects.toThrow('scan failed');

    expect(slots.busy).toBe(1);
    slot.release();
    expect(slots.busy).toBe(0);
  });

  test('GIVEN no slots or a fractional count WHEN made THEN RangeError', () => {
    expect(() => new UserSlots(0)).toThrow(RangeError);
    expect(() => new UserSlots(1.5)).toThrow(RangeError);
  });

  test('GIVEN a user run alone WHEN it waits THEN it just waits, with nothing to give up', async () => {
    await expect(UNBOUNDED_SLOT.releasedWhile(Promise.resolve(7))).resolves.toBe(7);
    expect(() => UNBOUNDED_SLOT.release()).not.toThrow();
  });
});
