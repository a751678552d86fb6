// A small validator for the subset of JSON Schema that frameio-v4-openapi.json uses: $ref, type, nullable,
// properties, required, additionalProperties:false, items, enum, allOf, oneOf/anyOf (+ discriminator),
// minimum/maximum, minLength/maxLength. `format` is ignored. Written here rather than adding a dependency.
//
// One deliberate reading: the spec puts `additionalProperties: false` next to `allOf` (e.g. FileWithIncludes).
// Read literally that forbids every property; we read it as the spec's authors meant it: no property outside
// the union of the properties the schema and its allOf branches declare.

export type Schema = Record<string, any>;
export type Spec = {components: {schemas: Record<string, Schema>}; paths: Record<string, Record<string, any>>};

export class OpenApiValidator {
	constructor(private readonly spec: Spec) {}

	resolve(schema: Schema): Schema {
		let current = schema;
		for (let depth = 0; current.$ref && depth < 20; depth++) {
			const name = String(current.$ref).replace('#/components/schemas/', '');
			const target = this.spec.components.schemas[name];
			if (!target) throw new Error(`unresolved $ref ${current.$ref}`);
			current = target;
		}
		return current;
	}

	/** The schema of one operation's response (JSON), or null when the spec declares none. */
	responseSchema(path: string, method: string, status: number): Schema | null {
		const operation = this.spec.paths[path]?.[method.toLowerCase()];
		if (!operation) throw new Error(`no operation ${method} ${path} in the spec`);
		const response = operation.responses?.[String(status)];
		if (!response) throw new Error(`${method} ${path} declares no ${status} response`);
		const content = response.content ?? {};
		const json = content['application/json'] ?? content['*'];
		return json?.schema ?? null;
	}

	/** Every mismatch, as "pointer: problem"; empty when the value is valid. */
	validate(value: unknown, schema: Schema, pointer = ''): string[] {
		const resolved = this.resolve(schema);
		if (value === null) return resolved.nullable === true ? [] : [`${pointer || '/'}: null is not allowed`];
		const errors: string[] = [];

		if (resolved.allOf) for (const part of resolved.allOf as Schema[]) errors.push(...this.validate(value, part, pointer));
		if (resolved.oneOf || resolved.anyOf) errors.push(...this.validateChoice(value, resolved, pointer));

		if (resolved.type && !matchesType(value, resolved.type)) return [...errors, `${pointer || '/'}: expected ${resolved.type}, got ${describe(value)}`];
		if (resolved.enum && !resolved.enum.includes(value)) errors.push(`${pointer || '/'}: ${JSON.stringify(value)} is not one of ${JSON.stringify(resolved.enum)}`);
		if (typeof value === 'number') {
			if (resolved.minimum !== undefined && value < resolved.minimum) errors.push(`${pointer}: ${value} < minimum ${resolved.minimum}`);
			if (resolved.maximum !== undefined && value > resolved.maximum) errors.push(`${pointer}: ${value} > maximum ${resolved.maximum}`);
		}
		if (typeof value === 'string') {
			if (resolved.minLength !== undefined && value.length < resolved.minLength) errors.push(`${pointer}: shorter than ${resolved.minLength}`);
			if (resolved.maxLength !== undefined && value.length > resolved.maxLength) errors.push(`${pointer}: longer than ${resolved.maxLength}`);
		}
		if (Array.isArray(value) && resolved.items) value.forEach((item, index) => errors.push(...this.validate(item, resolved.items, `${pointer}/${index}`)));
		if (isObject(value)) {
			const properties: Record<string, Schema> = resolved.properties ?? {};
			for (const key of resolved.required ?? []) if (!(key in value)) errors.push(`${pointer}/${key}: required`);
			for (const [key, item] of Object.entries(value)) {
				if (properties[key]) errors.push(...this.validate(item, properties[key], `${pointer}/${key}`));
			}
			if (resolved.additionalProperties === false) {
				const allowed = this.declaredProperties(resolved);
				for (const key of Object.keys(value)) if (!allowed.has(key)) errors.push(`${pointer}/${key}: not allowed (additionalProperties false)`);
			}
		}
		return errors;
	}

	private validateChoice(value: unknown, schema: Schema, pointer: string): string[] {
		const options: Schema[] = schema.oneOf ?? schema.anyOf;
		const discriminator = schema.discriminator;
		if (discriminator && isObject(value)) {
			const tag = value[discriminator.propertyName];
			const target = discriminator.mapping?.[String(tag)];
			if (!target) return [`${pointer}/${discriminator.propertyName}: unknown discriminator ${JSON.stringify(tag)}`];
			return this.validate(value, {$ref: target}, pointer);
		}
		const results = options.map(option => this.validate(value, option, pointer));
		const passing = results.filter(result => result.length === 0).length;
		if (schema.oneOf && passing !== 1) return [`${pointer || '/'}: matches ${passing} of the oneOf options (${results.map(r => r[0]).join(' | ')})`];
		if (schema.anyOf && passing === 0) return [`${pointer || '/'}: matches none of the anyOf options`];
		return [];
	}

	private declaredProperties(schema: Schema): Set<string> {
		const names = new Set<string>(Object.keys(schema.properties ?? {}));
		for (const part of (schema.allOf ?? []) as Schema[]) for (const name of this.declaredProperties(this.resolve(part))) names.add(name);
		return names;
	}
}

function matchesType(value: unknown, type: string): boolean {
	switch (type) {
		case 'object':
			return isObject(value);
		case 'array':
			return Array.isArray(value);
		case 'string':
			return typeof value === 'string';
		case 'integer':
			return Number.isInteger(value);
		case 'number':
			return typeof value === 'number';
		case 'boolean':
			return typeof value === 'boolean';
		default:
			return true;
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
	return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}
