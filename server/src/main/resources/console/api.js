// The admin API, with the token the operator signed in with: kept in this tab's session storage only, sent as a bearer.
const KEY = 'mcpgw.adminToken';

class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
  }
}

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

let onUnauthorized = () => {};

/** What to do when the token stops being accepted (it was removed from the file, or the gateway restarted with others). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** One admin request; resolves to the parsed JSON (null for 204), rejects with an ApiError carrying the problem's detail. */
export async function api(method, path, body, bearer = token.get()) {
  const headers = { Accept: 'application/json' };
  if (bearer) {
    headers.Authorization = `Bearer ${bearer}`;
  }
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(response.status, response.statusText, `the gateway's answer is not JSON (HTTP ${response.status})`);
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json?.title, json?.detail);
    if (response.status === 401 && bearer === token.get()) {
      onUnauthorized(error);
    }
    throw error;
  }
  return json;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);
