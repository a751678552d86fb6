/** A v4 error answer: `{"errors":[{title, detail, source:{pointer}}]}` with an HTTP status. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly detail: string,
		readonly title?: string,
		readonly pointer?: string,
	) {
		super(detail);
		this.name = 'ApiError';
	}

	body(): {errors: Array<{title?: string; detail: string; source?: {pointer: string}}>} {
		return {errors: [{...(this.title ? {title: this.title} : {}), detail: this.detail, ...(this.pointer ? {source: {pointer: this.pointer}} : {})}]};
	}
}

export const notFound = (what = 'Not found') => new ApiError(404, what, 'Not Found');
export const invalid = (detail: string, pointer?: string) => new ApiError(422, detail, 'Invalid value', pointer);
