/**
 * @module
 * Fake WordPress REST API (contract: docs/platforms/wordpress.md): `POST /wp/v2/posts`
 * with the 60-second publish/future rule and simulated WP-Cron, `GET /wp/v2/posts` with
 * `page`/`per_page` paging and `X-WP-Total`/`X-WP-TotalPages`/`Link`, `GET /wp/v2/posts/{id}`,
 * `GET /wp/v2/users/me`, public listing of published posts without credentials, unique slugs (`-2` suffixes) and the WP_Error envelope.
 *
 * Sandbox conventions: Application Passwords are 24 letters or digits (spaces ignored); a
 * username containing `contributor` cannot publish, `unknown` does not exist, `nopass` has
 * Application Passwords disabled. Core has no rate limit, so no lane is enforced; the host's
 * 429 is an HTML page.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';

const STATUSES = ['publish', 'future', 'draft', 'pending', 'private'] as const;
const FUTURE_THRESHOLD_MS = 60_000;

interface Post {
  readonly id: number;
  status: string;
  readonly slug: string;
  readonly title: string;
  readonly content: string;
  readonly dateGmt: number;
}

function wpError(status: number, code: string, message: string, extra = {}): SandboxResponse {
  return { status, body: { code, message, data: { status, ...extra } } };
}

const isoGmt = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

/** Builds the fake WordPress. */
export function createWordPressSandbox(context: SandboxContext): PlatformSandbox {
  const posts: Post[] = [];
  let nextId = 100;

  const runCron = (): void => {
    for (const post of posts) {
      if (post.status === 'future' && post.dateGmt <= context.clock.now()) post.status = 'publish';
    }
  };

  const view = (post: Post, origin: string): Record<string, unknown> => {
    const date = isoGmt(post.dateGmt);
    const link =
      post.status === 'publish'
        ? `${origin}/${date.slice(0, 4)}/${date.slice(5, 7)}/${date.slice(8, 10)}/${post.slug}/`
        : `${origin}/?p=${post.id}`;
    return {
      id: post.id,
      date,
      date_gmt: date,
      modified_gmt: date,
      slug: post.slug,
      status: post.status,
      type: 'post',
      link,
      title: { raw: post.title, rendered: post.title },
      content: { raw: post.content, rendered: `${post.content}\n`, protected: false },
      author: 1,
    };
  };

  const user = (request: ReceivedRequest): string | SandboxResponse => {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) {
      return wpError(401, 'rest_not_logged_in', 'You are not currently logged in.');
    }
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    const [name = '', password = ''] = decoded.split(/:(.*)/s);
    if (name.includes('unknown')) {
      return wpError(
        401,
        'invalid_username',
        'Unknown username. Check again or try your email address.',
      );
    }
    if (name.includes('nopass')) {
      return wpError(
        501,
        'application_passwords_disabled',
        'Application passwords are not available.',
      );
    }
    if (!/^[A-Za-z0-9]{24}$/.test(password.replace(/\s+/g, ''))) {
      return wpError(
        401,
        'incorrect_password',
        'The provided password is an invalid application password.',
      );
    }
    return name;
  };

  const create = (name: string, body: Record<string, unknown>, origin: string): SandboxResponse => {
    const status = body.status ?? 'draft';
    if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): status', {
        params: { status: `status is not one of ${STATUSES.join(', ')}.` },
      });
    }
    const now = context.clock.now();
    let dateGmt = now;
    if (body.date_gmt !== undefined) {
      const parsed =
        typeof body.date_gmt === 'string' &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(body.date_gmt)
          ? Date.parse(`${body.date_gmt}Z`)
          : Number.NaN;
      if (Number.isNaN(parsed)) {
        return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): date_gmt', {
          params: { date_gmt: 'Invalid date.' },
        });
      }
      dateGmt = parsed;
    }
    const title = typeof body.title === 'string' ? body.title : '';
    const content = typeof body.content === 'string' ? body.content : '';
    if (title === '' && content === '') {
      return wpError(400, 'empty_content', 'Content, title, and excerpt are empty.');
    }
    if ((status === 'publish' || status === 'future') && name.includes('contributor')) {
      return wpError(
        403,
        'rest_cannot_publish',
        'Sorry, you are not allowed to publish posts in this post type.',
      );
    }
    let stored = status;
    if (status === 'future' && dateGmt < now + FUTURE_THRESHOLD_MS) stored = 'publish';
    if (status === 'publish' && dateGmt >= now + FUTURE_THRESHOLD_MS) stored = 'future';
    const base =
      typeof body.slug === 'string' && body.slug !== ''
        ? body.slug
        : title.toLowerCase().replace(/[^a-z0-9]+/g, '-') || String(nextId);
    let slug = base;
    for (let n = 2; posts.some((p) => p.slug === slug); n++) slug = `${base}-${n}`;
    const post: Post = { id: nextId++, status: stored, slug, title, content, dateGmt };
    posts.push(post);
    context.deliver({ recipient: origin, messageId: String(post.id), key: slug });
    return {
      status: 201,
      headers: { location: `${origin}/wp-json/wp/v2/posts/${post.id}` },
      body: view(post, origin),
    };
  };

  const list = (query: Readonly<Record<string, string>>, origin: string): SandboxResponse => {
    const statuses = (query.status ?? 'publish').split(',');
    if (statuses.some((s) => !(STATUSES as readonly string[]).includes(s))) {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): status');
    }
    if (statuses.some((s) => s !== 'publish') && query.context !== 'edit') {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): status', {
        params: { status: 'Status is forbidden.' },
      });
    }
    const perPage = Number(query.per_page ?? 10);
    const page = Number(query.page ?? 1);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): per_page', {
        params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
      });
    }
    const matching = posts
      .filter((p) => statuses.includes(p.status))
      .filter((p) => query.slug === undefined || query.slug.split(',').includes(p.slug))
      .reverse();
    const totalPages = Math.ceil(matching.length / perPage);
    if (matching.length > 0 && page > totalPages) {
      return wpError(
        400,
        'rest_post_invalid_page_number',
        'The page number requested is larger than the number of pages available.',
      );
    }
    const links = [
      ...(page > 1 ? [`<${origin}/wp-json/wp/v2/posts?page=${page - 1}>; rel="prev"`] : []),
      ...(page < totalPages
        ? [`<${origin}/wp-json/wp/v2/posts?page=${page + 1}>; rel="next"`]
        : []),
    ];
    return {
      status: 200,
      headers: {
        'x-wp-total': String(matching.length),
        'x-wp-totalpages': String(totalPages),
        ...(links.length > 0 ? { link: links.join(', ') } : {}),
      },
      body: matching.slice((page - 1) * perPage, page * perPage).map((p) => view(p, origin)),
    };
  };

  return {
    platform: 'wordpress',
    lane(): QuotaLane | undefined {
      return undefined;
    },
    handle(request: ReceivedRequest): SandboxResponse {
      runCron();
      const origin = `http://${request.headers.host ?? 'wordpress.sandbox'}`;
      const route = `${request.method} ${request.path}`;
      // Anyone may list published posts; other statuses need a user and `context=edit`.
      if (request.headers.authorization === undefined && route === 'GET /wp-json/wp/v2/posts') {
        return request.query.context === 'edit'
          ? wpError(
              401,
              'rest_forbidden_context',
              'Sorry, you are not allowed to edit posts in this post type.',
            )
          : list(request.query, origin);
      }
      const who = user(request);
      if (typeof who !== 'string') return who;
      if (route === 'POST /wp-json/wp/v2/posts') {
        return create(who, (request.body ?? {}) as Record<string, unknown>, origin);
      }
      if (route === 'GET /wp-json/wp/v2/posts') return list(request.query, origin);
      const one = /^\/wp-json\/wp\/v2\/posts\/(\d+)$/.exec(request.path);
      if (request.method === 'GET' && one) {
        const post = posts.find((p) => p.id === Number(one[1]));
        return post
          ? { status: 200, body: view(post, origin) }
          : wpError(404, 'rest_post_invalid_id', 'Invalid post ID.');
      }
      if (route === 'GET /wp-json/wp/v2/users/me') {
        return { status: 200, body: { id: 1, name: who, slug: who } };
      }
      return wpError(
        404,
        'rest_no_route',
        'No route was found matching the URL and request method.',
      );
    },
    rateLimited: () => ({
      status: 429,
      body: '<html><head><title>429 Too Many Requests</title></head><body>Too Many Requests</body></html>',
    }),
    serverError: (status) =>
      wpError(status, 'internal_server_error', 'There has been a critical error on this website.'),
    expiredToken: () =>
      wpError(
        401,
        'incorrect_password',
        'The provided password is an invalid application password.',
      ),
    versionSunset: () =>
      wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.'),
  };
}
