// STUB until the structure and health services land: the console's runtime.
import type {CreateRuntime} from '../store/ports.js';

export const createRuntime: CreateRuntime = async () => {
	throw new Error('the console runtime is not wired yet');
};
