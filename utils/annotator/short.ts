/**
 * Short names for platform calls the content scripts make in many places: a call of a
 * local function is shorter than the method's name each time (every byte here ships on
 * every page of the three sites).
 */

/** `typeof x === 'function'`. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const isFunction = (x: unknown): x is Function => typeof x === 'function';

/** `target.addEventListener(type, handler, options)`. */
export const on = <E extends Event>(target: EventTarget, type: string, handler: (e: E) => void, options?: AddEventListenerOptions): void =>
  target.addEventListener(type, handler as EventListener, options);
