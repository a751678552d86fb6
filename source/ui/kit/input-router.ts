// One Ink input listener for the whole console routes each key: a modal layer (dialog, text prompt, help) takes
// every key; otherwise the visible pane gets a chance, then the global bindings. Without this, every useInput
// hook would see every key, and typing "q" in a filter would quit.
import {createContext, useContext, useLayoutEffect, useRef} from 'react';
import type {KeyPress} from './keys.js';

/** Returns true when it used the key. */
export type KeyHandler = (key: KeyPress) => boolean | void;

type Layer = {id: number; modal: boolean; handler: {current: KeyHandler}};

export class InputRouter {
	private layers: Layer[] = [];
	private nextId = 0;

	register(modal: boolean, handler: {current: KeyHandler}): () => void {
		const layer = {id: this.nextId++, modal, handler};
		this.layers.push(layer);
		return () => {
			this.layers = this.layers.filter(entry => entry !== layer);
		};
	}

	hasModal(): boolean {
		return this.layers.some(layer => layer.modal);
	}

	/** The newest modal layer gets the key, whatever it returns. */
	dispatchModal(key: KeyPress): boolean {
		const modal = this.layers.filter(layer => layer.modal).at(-1);
		if (!modal) return false;
		modal.handler.current(key);
		return true;
	}

	/** Non-modal layers, newest first, until one uses the key. */
	dispatch(key: KeyPress): boolean {
		const layers = this.layers.filter(layer => !layer.modal).reverse();
		for (const layer of layers) if (layer.handler.current(key) === true) return true;
		return false;
	}
}

export const InputRouterContext = createContext<InputRouter | null>(null);

/** Registers a key handler while `active`; `modal` layers take every key while mounted. */
export function useKeys(handler: KeyHandler, options: {active?: boolean; modal?: boolean} = {}): void {
	const router = useContext(InputRouterContext);
	const ref = useRef(handler);
	ref.current = handler;
	const active = options.active !== false;
	const modal = options.modal === true;
	// A layout effect registers during the commit: a key typed right after "/" already reaches the new prompt
	// (a passive effect can run later than the next key).
	useLayoutEffect(() => {
		if (!router || !active) return;
		return router.register(modal, ref);
	}, [router, active, modal]);
}
