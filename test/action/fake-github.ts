/**
 * A local HTTP server standing in for the GitHub REST API: the issue-comment and issue endpoints the
 * action uses, in memory, paginated like GitHub (per_page, page). Requests without the expected
 * token are answered 401; `failWith` makes every write answer that status (a fork's read-only token).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
}

export class FakeGithub {
  readonly comments: FakeComment[] = [];
  readonly issues: FakeIssue[] = [];
  readonly requests: string[] = [];
  failWith: number | null = null;
  private nextId = 1000;
  private server: http.Server | null = null;

  constructor(
    readonly repository: string,
    readonly token: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => this.handle(req, body, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: http.IncomingMessage, text: string, res: http.ServerResponse): void {
    const url = new URL(req.url!, 'http://fake');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'Bad credentials' });
    const prefix = `/repos/${this.repository}`;
    if (!url.pathname.startsWith(prefix)) return send(404, { message: 'Not Found' });
    const route = url.pathname.slice(prefix.length);
    if (req.method !== 'GET' && this.failWith !== null) return send(this.failWith, { message: 'Resource not accessible by integration' });
    const input = text === '' ? {} : (JSON.parse(text) as { body?: string; title?: string });
    const page = <T>(items: T[]): T[] => {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const n = Number(url.searchParams.get('page') ?? 1);
      return items.slice((n - 1) * perPage, n * perPage);
    };

    let match: RegExpMatchArray | null;
    if ((match = route.match(/^\/issues\/(\d+)\/comments$/))) {
      const issue = Number(match[1]);
      if (req.method === 'GET') return send(200, page(this.comments.filter((c) => c.issue === issue)));
      if (req.method === 'POST') {
        const comment = { id: this.nextId++, issue, body: input.body ?? '' };
        this.comments.push(comment);
        return send(201, comment);
      }
    }
    if ((match = route.match(/^\/issues\/comments\/(\d+)$/)) && req.method === 'PATCH') {
      const comment = this.comments.find((c) => c.id === Number(match![1]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = input.body ?? comment.body;
      return send(200, comment);
    }
    if (route === '/issues') {
      if (req.method === 'GET') return send(200, page(this.issues.filter((i) => i.state === (url.searchParams.get('state') ?? 'open'))));
      if (req.method === 'POST') {
        const issue: FakeIssue = { number: this.issues.length + 1, title: input.title ?? '', body: input.body ?? '', state: 'open' };
        this.issues.push(issue);
        return send(201, issue);
      }
    }
    if ((match = route.match(/^\/issues\/(\d+)$/)) && req.method === 'PATCH') {
      const issue = this.issues.find((i) => i.number === Number(match![1]));
      if (!issue) return send(404, { message: 'Not Found' });
      Object.assign(issue, { title: input.title ?? issue.title, body: input.body ?? issue.body });
      return send(200, issue);
    }
    send(404, { message: `no route ${req.method} ${route}` });
  }
}
