import { UsageError } from '../errors';

/**
 * The few GitHub REST calls the action makes: one sticky comment per pull request and one drift
 * issue, each found again by a hidden marker in its body. `fetch` against apiUrl, so a test can
 * stand in a local server for api.github.com.
 */
export interface GithubApiOptions {
  readonly apiUrl: string;
  readonly token: string;
  /** owner/name. */
  readonly repository: string;
}

interface Comment {
  readonly id: number;
  readonly body?: string;
}

interface Issue {
  readonly number: number;
  readonly body?: string;
  readonly pull_request?: unknown;
}

const PAGE_SIZE = 100;

export class GithubApi {
  constructor(private readonly options: GithubApiOptions) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.options.apiUrl.replace(/\/$/, '')}/repos/${this.options.repository}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.options.token}`,
        'x-github-api-version': '2022-11-28',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const text = await response.text();
      // Almost always the token's permissions (a fork's read-only token, or a missing `permissions:` entry).
      throw new UsageError(
        `GitHub API ${method} ${path} answered HTTP ${response.status}: ${text.slice(0, 300)}`,
        'give the job `permissions: pull-requests: write` (the plan comment) and `issues: write` (the drift issue)',
      );
    }
    return (await response.json()) as T;
  }

  /** Every page of a list endpoint, until the marked item is found or a short page ends the list. */
  private async findMarked<T extends { body?: string }>(path: string, marker: string): Promise<T | undefined> {
    for (let page = 1; ; page++) {
      const separator = path.includes('?') ? '&' : '?';
      const items = await this.call<T[]>('GET', `${path}${separator}per_page=${PAGE_SIZE}&page=${page}`);
      const found = items.find((item) => item.body?.includes(marker) === true);
      if (found !== undefined || items.length < PAGE_SIZE) return found;
    }
  }

  /** Updates the pull request's comment carrying `marker`, or creates it: there is only ever one. */
  async upsertComment(pullRequest: number, marker: string, body: string): Promise<'created' | 'updated'> {
    const existing = await this.findMarked<Comment>(`/issues/${pullRequest}/comments`, marker);
    if (existing !== undefined) {
      await this.call('PATCH', `/issues/comments/${existing.id}`, { body });
      return 'updated';
    }
    await this.call('POST', `/issues/${pullRequest}/comments`, { body });
    return 'created';
  }

  /** Updates the open issue carrying `marker`, or opens one. Returns its number. */
  async upsertIssue(marker: string, title: string, body: string): Promise<{ number: number; action: 'created' | 'updated' }> {
    const open = await this.findMarked<Issue>('/issues?state=open', marker);
    if (open !== undefined && open.pull_request === undefined) {
      await this.call('PATCH', `/issues/${open.number}`, { title, body });
      return { number: open.number, action: 'updated' };
    }
    const created = await this.call<Issue>('POST', '/issues', { title, body });
    return { number: created.number, action: 'created' };
  }
}
