// REST with the tenant's API key (X-Api-Key) and the key's place in this tab.
const KEY = 'millwright.key';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(v) { if (v) sessionStorage.setItem(KEY, v); else sessionStorage.removeItem(KEY); },
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = 'GET', body, key = session.key } = {}) {
  const headers = { 'X-Api-Key': key ?? '' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  if (response.status === 204) return null;
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Every item of a keyset-paged list. */
export async function listAll(path) {
  const items = [];
  let after = null;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const page = await api(`${path}${sep}limit=500${after ? `&after=${after}` : ''}`);
    items.push(...page.items);
    after = page.nextAfter;
  } while (after);
  return items;
}
