// What a slice's connector gets: read and write access to its own slice only, never to the others.
import type {Store} from './store.js';

export type SliceHandle<T> = {
	/** The latest value, pending pushes included. */
	get(): T;
	/** Returns whether the slice changes (false when the value equals what is published). */
	set(value: T): boolean;
	update(updater: (current: T) => T): boolean;
};

export function sliceHandle<S extends Record<string, unknown>, K extends keyof S>(store: Store<S>, name: K): SliceHandle<S[K]> {
	const set = (value: S[K]) => store.set(name, value);
	return {
		get: () => store.peek(name),
		set,
		update: updater => set(updater(store.peek(name))),
	};
}
