// The API's contract as the server serves it (GET /api/v1/openapi.json): every
// answer the API tests receive is checked against the document's response for
// its path, method and status, with its content type and, for JSON, its body
// validated by ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1). An answer
// the document does not describe fails as surely as one that breaks a schema.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const requireWeb = createRequire(join(root, 'web/package.json'));
const Ajv2020 = (() => {
  try {
    return requireWeb('ajv/dist/2020').default;
  } catch {
    throw new Error('ajv is missing from web/node_modules: run "npm ci --prefix web" (scripts/deps.sh test does)');
  }
})();

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// The formats the document uses, as the document defines them: instants are UTC
// to the second ("YYYY-MM-DDTHH:MM:SSZ"), days are "YYYY-MM-DD".
const realDay = (s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
};
const FORMATS = {
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && realDay(s),
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/.test(s) && realDay(s),
  int64: { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63 },
  password: true,
  'uri-reference': (s) => !/[\s<>"{}|\\^`]/.test(s),
};

// A copy of the schema 'o' whose references to the document's schemas,
// "#/components/schemas/X", point into the schema "openapi" that holds them.
function rebase(o) {
  return JSON.parse(JSON.stringify(o), (k, v) => {
    if (k !== '$ref' || typeof v !== 'string') return v;
    if (!v.startsWith('#/components/schemas/')) throw new Error(`a schema refers to ${v}`);
    return 'openapi#/$defs/' + v.slice('#/components/schemas/'.length);
  });
}

// A compiled checker of one served document.
class Contract {
  constructor(doc) {
    this.doc = doc;
    this.ajv = new Ajv2020({ allErrors: true, strict: true, formats: FORMATS });
    // OpenAPI's own annotations beside JSON Schema's
    this.ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
    this.ajv.addSchema({ $id: 'openapi', $defs: rebase(doc.components?.schemas || {}) });
    this.validators = new Map();
    // literal segments before templated ones: /users/me before /users/{id}
    this.paths = Object.keys(doc.paths).map((template) => this.pathOf(template))
      .sort((a, b) => b.literal - a.literal);
  }

  // How a concrete path is told to be 'template''s: a segment in place of a
  // parameter must meet the parameter's schema (an id is a whole number from 1).
  pathOf(template) {
    const item = this.deref(this.doc.paths[template]);
    const params = {};
    for (const o of [item, ...METHODS.map((m) => item[m]).filter(Boolean)]) {
      for (const p of (o.parameters || []).map((x) => this.deref(x))) {
        if (p.in === 'path') params[p.name] = p.schema;
      }
    }
    const names = [];
    const re = new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}/]+)\}/g, (_, name) => {
      names.push(name);
      return '([^/]+)';
    }) + '$');
    const matches = (path) => {
      const m = re.exec(path);
      if (!m) return false;
      return names.every((name, i) => {
        const schema = params[name];
        if (!schema) throw new Error(`the document does not describe the parameter ${name} of ${template}`);
        let value;
        try {
          value = decodeURIComponent(m[i + 1]);
        } catch {
          return false;
        }
        if (schema.type === 'integer') {
          if (!/^[0-9]+$/.test(value)) return false;
          value = Number(value);
        }
        return this.validator(`path ${template} ${name}`, schema)(value);
      });
    };
    return { template, matches, literal: template.split('/').filter((s) => s && !s.startsWith('{')).length };
  }

  // Follows a local $ref of a response or path item.
  deref(o) {
    while (o && o.$ref) {
      if (!o.$ref.startsWith('#/')) throw new Error(`cannot follow ${o.$ref}`);
      o = o.$ref.slice(2).split('/').reduce((at, k) => at?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
    }
    return o;
  }

  validator(key, schema) {
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(rebase(schema));
      this.validators.set(key, v);
    }
    return v;
  }

  // The problems of one answer ({status, headers, text}) to 'method' 'url';
  // an empty list when the document describes it.
  check(method, url, answer) {
    const path = new URL(url, 'http://host').pathname;
    const entry = this.paths.find((p) => p.matches(path));
    if (!entry) {
      // the UI's files and pages are not the API's to describe
      if (!path.startsWith('/api/')) return [];
      // "a path under /api/ that this document does not list is answered 404"
      // (info.description), the only answer it gives such a path
      return this.general(`${path}, a path outside the document,`, 404, answer);
    }
    const item = this.deref(this.doc.paths[entry.template]);
    const m = method.toLowerCase();
    // HEAD is GET without the body (RFC 9110, 9.3.2)
    const op = item[m] || (m === 'head' ? item.get : undefined);
    if (!op) {
      // "a method that a path does not take 405 with Allow naming those it does"
      const allowed = [...new Set(METHODS.filter((k) => item[k]).flatMap((k) => (k === 'get' ? ['GET', 'HEAD'] : [k.toUpperCase()])))];
      const problems = this.general(`${method}, a method ${entry.template} does not take,`, 405, answer);
      const allow = (answer.headers.get('allow') || '').split(',').map((x) => x.trim()).filter(Boolean);
      if (allow.sort().join(', ') !== allowed.sort().join(', ')) {
        problems.push(`Allow: ${answer.headers.get('allow')} is not the document's ${allowed.join(', ')}`);
      }
      return problems;
    }
    const responses = op.responses || {};
    const key = [String(answer.status), `${String(answer.status)[0]}XX`, 'default'].find((k) => responses[k]);
    if (!key) {
      return [`the document has no status ${answer.status} for ${method} ${entry.template} (only ${Object.keys(responses).join(', ')})`];
    }
    return this.media(`${m} ${entry.template} ${key}`, this.deref(responses[key]), m === 'head', answer);
  }

  // An answer the document's description gives any path: 'status' as a problem.
  general(what, status, answer) {
    if (answer.status !== status) return [`${what} is answered ${status}, not ${answer.status}`];
    const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    return this.media(`problem ${status}`, problem, false, answer);
  }

  // The problems of 'answer' as the response object 'response' describes it:
  // its content type one of the document's, and a JSON body valid against its
  // schema; no body where the document gives none.
  media(key, response, head, { status, headers, text }) {
    const type = headers.get('content-type') || '';
    const media = type.split(';')[0].trim().toLowerCase();
    if (!response.content) {
      return text === '' ? [] : [`the document gives ${status} no body, but it came with ${JSON.stringify(text.slice(0, 200))}`];
    }
    const types = Object.keys(response.content);
    const mediaKey = types.find((k) => k.toLowerCase() === media) ||
      types.find((k) => k.endsWith('/*') && media.startsWith(k.slice(0, -1))) ||
      types.find((k) => k === '*/*');
    if (!mediaKey) return [`the document gives ${status} the content types ${types.join(', ')}, not "${type}"`];
    const schema = response.content[mediaKey].schema;
    if (!schema || head || !/^application\/(.+\+)?json$/.test(media)) return [];
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return [`the body is not JSON: ${JSON.stringify(text.slice(0, 200))}`];
    }
    const validate = this.validator(`${key} ${mediaKey}`, schema);
    if (validate(body)) return [];
    return validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} (${e.schemaPath}` +
      `${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''})`);
  }
}

// The documents of the servers seen, by origin (one per binary, but a test may
// start another binary).
const contracts = new Map();

// The compiled document served at 'base': resolves an object whose
// check(method, path, {status, headers, text}) lists what the document does
// not allow in that answer.
export function contractOf(base) {
  const origin = new URL(base).origin;
  let c = contracts.get(origin);
  if (!c) {
    c = fetch(origin + '/api/v1/openapi.json').then(async (res) => {
      if (res.status !== 200) throw new Error(`GET /api/v1/openapi.json answered ${res.status}`);
      return new Contract(await res.json());
    });
    c.catch(() => contracts.delete(origin));
    contracts.set(origin, c);
  }
  return c;
}

// An answer the served document does not describe.
export class ContractError extends Error {
  constructor(method, path, status, problems, text) {
    super(`${method} ${path} answered ${status}, which the API document does not allow:\n  ` +
      problems.join('\n  ') + `\nthe body: ${text.length > 1500 ? text.slice(0, 1500) + '...' : text}`);
    this.name = 'ContractError';
  }
}

// Throws a ContractError unless the document served at 'base' describes the
// answer {status, headers, text} to 'method' 'path'.
export async function checkAnswer(base, method, path, { status, headers, text }) {
  const contract = await contractOf(base);
  const problems = contract.check(method, path, { status, headers, text });
  if (problems.length) throw new ContractError(method, path, status, problems, text);
}
