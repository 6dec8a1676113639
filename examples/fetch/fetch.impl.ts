// The implementation: the platform's own async fetch, run in the synchronizer's worker thread.
// Only plain data crosses back (status, headers, body text), so the result is a copy.

export interface FetchedResponse {
  url: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

export async function fetchText(url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<FetchedResponse> {
  const response = await fetch(url, init);
  return {
    url: response.url,
    status: response.status,
    statusText: response.statusText,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
}

export async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  return response.json();
}
