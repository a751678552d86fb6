// Request bodies are `{"data":{…}}` with additionalProperties false, as in the spec: any other field is a 422.
import {ApiError, invalid} from './api-error.js';

type FieldCheck = (value: unknown, pointer: string) => void;

export function readData(body: unknown, fields: Record<string, FieldCheck>, required: string[]): Record<string, unknown> {
	if (!isObject(body)) throw invalid('Body must be a JSON object', '/');
	for (const key of Object.keys(body)) if (key !== 'data') throw invalid(`Unexpected field: ${key}`, `/${key}`);
	const data = body.data;
	if (!isObject(data)) throw new ApiError(422, 'Missing object: data', 'Invalid value', '/data');
	for (const key of Object.keys(data)) {
		if (!(key in fields)) throw invalid(`Unexpected field: ${key}`, `/data/${key}`);
	}
	for (const key of required) if (!(key in data)) throw invalid(`Missing field: ${key}`, `/data/${key}`);
	for (const [key, check] of Object.entries(fields)) if (key in data) check(data[key], `/data/${key}`);
	return data;
}

export const nameField: FieldCheck = (value, pointer) => {
	if (typeof value !== 'string' || value.length < 1 || value.length > 255) throw invalid('name must be a string of 1 to 255 characters', pointer);
};

export const fileSizeField: FieldCheck = (value, pointer) => {
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 5_000_000_000_000) {
		throw invalid('file_size must be an integer between 1 and 5000000000000', pointer);
	}
};

export const stringField: FieldCheck = (value, pointer) => {
	if (typeof value !== 'string' || value.length === 0) throw invalid('must be a non-empty string', pointer);
};

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
