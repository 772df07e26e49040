// The same history on two backends: from a seed, a random but valid history of
// the API's writes (units, users, documents and tasks with their reports,
// completions and deadlines, receipts and the moves of dossiers, the working
// calendar, bearer tokens) with reads between them (a unit's subtree, task
// lists and figures, a dossier, the citizen's lookup, worklists, the service
// center's figures, the audit trail) and some requests that must be refused.
// Each operation is sent to two servers at once, one on SQLite and one on
// PostgreSQL, both started from a fresh demo province, and the two answers
// must be the same before the next operation is chosen; the generator learns
// what is valid next (ids, versions, states) from the answers. At the end the
// figures, the whole audit trail and every list are read on both and compared.
//
// A later module adds its writes and reads as methods of History named in
// WEIGHTS (what an operation holds is told above History.send) and, where it
// has figures, their reads to finalReads().
import { Client, demoPassword } from '../api/lib.mjs';

// ---- the seeded choices ----

// A seed from a number, or a text of digits as that number ("42" is 42), or any other text
// (FNV-1a of its characters); never 0.
export function seedOf(value) {
  if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) value = Number(value);
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value >>> 0 || 1;
  let h = 0x811c9dc5;
  for (const ch of String(value)) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
  return h || 1;
}

// Marsaglia's xorshift32 (13, 17, 5), after a few rounds of warming up: the
// same seed gives the same choices on every machine.
export class Random {
  constructor(seed) {
    this.state = seedOf(seed);
    for (let i = 0; i < 8; i++) this.u32();
  }
  u32() {
    let x = this.state;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.state = x;
    return x;
  }
  float() { return this.u32() / 4294967296; }
  int(n) { return Math.floor(this.float() * n); } // 0 .. n-1
  range(lo, hi) { return lo + this.int(hi - lo + 1); } // lo .. hi
  chance(p) { return this.float() < p; }
  pick(list) { return list[this.int(list.length)]; }
  some(list, max) { // up to 'max' distinct items of 'list'
    const copy = [...list], out = [];
    for (let n = this.int(max + 1); n > 0 && copy.length; n--) out.push(copy.splice(this.int(copy.length), 1)[0]);
    return out;
  }
  weighted(table) { // [[weight, value]...]
    let total = 0;
    for (const [w] of table) total += w;
    let x = this.float() * total;
    for (const [w, v] of table) if ((x -= w) < 0) return v;
    return table[table.length - 1][1];
  }
}

// ---- days ----

const DAY = 86400e3;
const dayNumber = (iso) => Date.parse(iso + 'T00:00:00Z') / DAY;
const isoOfNumber = (n) => new Date(n * DAY).toISOString().slice(0, 10);
const addDays = (iso, n) => isoOfNumber(dayNumber(iso) + n);
const maxDay = (...days) => days.filter(Boolean).sort().at(-1);
const minDay = (...days) => days.filter(Boolean).sort()[0];
const weekday = (iso) => new Date(iso + 'T00:00:00Z').getUTCDay(); // 0 Sunday .. 6 Saturday
// today in Asia/Ho_Chi_Minh (UTC+7, no daylight saving), as the servers count it
export const today = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
const OLD = '2023-06-30'; // the three-level tree of the demo province
const TWO_LEVEL = '2025-07-01'; // Law 72/2025/QH15

// ---- the comparison ----

// What may differ between two servers that were given the same history, each
// with its reason; everything else must be equal, byte for byte once parsed.
// The ids are not among them: both start from the same fresh demo province and
// take every id in the same order, so a different id is a finding.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
// The two servers read their own clocks: at each step a few milliseconds apart
// (which can fall on both sides of a second), and while each loads the demo
// province at its own speed (a few seconds apart at most). Every instant the
// API computes (due times, appointments) lies on a whole minute, so a
// difference of a minute or more is never excused.
export const INSTANT_TOLERANCE_MS = 10e3;
const RANDOM_HEX = /^[0-9a-f]{64}$/;
const NORMALISED = {
  // a session's CSRF token: 256 random bits of each server's own
  csrf_token: (a, b) => typeof a === 'string' && typeof b === 'string' && a.length === b.length,
  // a receipt slip's lookup secret: 120 random bits, shown once
  secret: (a, b) => typeof a === 'string' && typeof b === 'string' && a.length === b.length,
  // a bearer token: 256 random bits, shown once
  token: (a, b) => typeof a === 'string' && typeof b === 'string' && a.length === b.length,
  // an audit record's MAC covers its `at`, which the two clocks give (see
  // above), and its predecessor's MAC: once one `at` differs by a second,
  // every later MAC of that chain does. Each chain is checked on its own by
  // `reform audit verify` instead.
  hash: (a, b) => RANDOM_HEX.test(a) && RANDOM_HEX.test(b),
  prev_hash: (a, b) => RANDOM_HEX.test(a) && RANDOM_HEX.test(b),
};

// The differences between two parsed answers, as [path, a, b], the allowed
// ones left out; 'seen' counts each allowance used, by its name.
export function differences(a, b, seen = {}, path = '', out = []) {
  if (out.length >= 20) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push([`${path}.length`, a.length, b.length]);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(a[i], b[i], seen, `${path}[${i}]`, out);
    return out;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in a) || !(k in b)) { out.push([p, a[k], b[k]]); continue; }
      if (a[k] !== b[k] && NORMALISED[k]?.(a[k], b[k])) { seen[k] = (seen[k] || 0) + 1; continue; }
      differences(a[k], b[k], seen, p, out);
    }
    return out;
  }
  if (a === b) return out;
  if (typeof a === 'string' && typeof b === 'string' && INSTANT.test(a) && INSTANT.test(b) &&
      Math.abs(Date.parse(a) - Date.parse(b)) <= INSTANT_TOLERANCE_MS) {
    seen.instant = (seen.instant || 0) + 1;
    return out;
  }
  // the same clocks, where an audit record's before or after keeps an instant as seconds
  // since the epoch (a token's expires_at: the moment it was issued plus its days)
  if (/(^|\.)[a-z_]+_at$/.test(path) && Number.isInteger(a) && Number.isInteger(b) && a > 1e9 &&
      Math.abs(a - b) * 1000 <= INSTANT_TOLERANCE_MS) {
    seen.epoch = (seen.epoch || 0) + 1;
    return out;
  }
  out.push([path || '(body)', a, b]);
  return out;
}

const clip = (text, n = 1200) => (text.length > n ? text.slice(0, n) + ` ... (${text.length} characters)` : text);
const show = (v) => (v === undefined ? '(absent)' : JSON.stringify(v));

// The first difference between the two servers: the seed, the step, the
// request and both answers.
export class HistoryMismatch extends Error {
  constructor({ seed, step, op, request, answers, names, diffs, note }) {
    const lines = [
      `the backends answered differently at step ${step} of the history of seed ${seed} (${op.label})`,
      `request: ${request.method} ${request.path[0]}${request.path[1] !== request.path[0] ? ` (on ${names[1]}: ${request.path[1]})` : ''}`,
    ];
    if (request.body[0] !== undefined) lines.push(`body: ${clip(JSON.stringify(request.body[0]), 600)}`);
    if (note) lines.push(note);
    if (diffs.length) {
      lines.push('differences:');
      for (const [p, a, b] of diffs.slice(0, 8)) lines.push(`  ${p}: ${names[0]} ${clip(show(a), 200)}, ${names[1]} ${clip(show(b), 200)}`);
    }
    for (let i = 0; i < 2; i++) lines.push(`${names[i]}: ${answers[i].status} ${clip(answers[i].text)}`);
    lines.push(`again: REFORM_HISTORY_SEED=${seed}`);
    super(lines.join('\n'));
    this.seed = seed;
    this.step = step;
  }
}

// ---- people: a user signed in on both servers ----

class Person {
  constructor({ username, password, id, unit_id, roles }) {
    Object.assign(this, { username, password, id, unit_id, roles, clients: null, disabled: false, spare: false });
  }
  can(role) { return this.roles.includes(role); }
}

// ---- the history ----

// Weights of the operations; each is a method of History that returns an
// operation, or null when the state gives it nothing to do yet.
const WEIGHTS = [
  // units (admin)
  [3, 'unitCreate'], [1, 'unitCreateOld'], [1, 'unitRename'], [1, 'unitMove'], [1, 'unitEnd'], [1, 'unitRefused'],
  [3, 'unitTree'], [2, 'unitList'], [1, 'unitDetail'],
  // users (admin) and sessions
  [2, 'userCreate'], [1, 'userChange'], [1, 'userRefused'], [1, 'userList'], [1, 'signInWrong'],
  [0.5, 'signOut'], [0.5, 'passwordChange'],
  // documents and tasks (secretariat, focal points)
  [2, 'documentCreate'], [4, 'taskCreate'], [1, 'taskBulk'], [1, 'taskPatch'], [4, 'taskReport'], [3, 'taskComplete'],
  [2, 'taskDeadline'], [2, 'taskRefused'], [5, 'taskList'], [2, 'taskDetail'], [3, 'taskStats'], [1, 'taskReminders'],
  [1, 'documentList'],
  // one-stop dossiers (clerks, officers, the citizen)
  [8, 'dossierReceive'], [14, 'dossierMove'], [2, 'dossierRefused'], [3, 'dossierRead'], [2, 'publicLookup'],
  [2, 'worklist'], [2, 'dossierList'], [2, 'serviceFigures'], [1, 'procedureRead'],
  // the working calendar (admin, anyone)
  [1, 'calendarRecord'], [1, 'calendarHours'], [1, 'calendarRead'], [1, 'dueTime'],
  // tokens and the audit trail
  [0.3, 'tokenCreate'], [1, 'bearerRead'], [2, 'auditRead'],
  // requests every module refuses alike: a role that may not (403), a body or query that is
  // not what the API reads (400), a code, name or number that is taken (409)
  [0.5, 'forbidden'], [0.5, 'malformed'], [0.5, 'conflict'],
];

const FIELDS = ['direction', 'institutions', 'procedures', 'apparatus', 'civil_service', 'public_finance', 'digital_government'];
const BODIES = ['government', 'prime_minister', 'ministry', 'party_committee', 'people_council', 'people_committee', 'chairman', 'steering_committee'];
const STATUSES = ['done_on_time', 'done_late', 'in_progress', 'overdue', 'no_deadline'];
const WORDS = ['Hà', 'Tĩnh', 'Hương', 'Sơn', 'Kỳ', 'Anh', 'Thạch', 'Hà', 'Cẩm', 'Xuyên', 'Nghi', 'Xuân', 'Đức', 'Thọ',
  'Vũ', 'Quang', 'Lộc', 'Can', 'Hồng', 'Lĩnh', 'Trần', 'Phú', 'Thành', 'Sen', 'Bắc', 'Nam', 'Đông', 'Tây'];
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô'];
const GIVEN = ['Văn An', 'Thị Bình', 'Minh Châu', 'Quốc Dũng', 'Thu Hà', 'Đức Hải', 'Thị Lan', 'Văn Long', 'Hồng Nhung', 'Tuấn Anh'];
const SEARCHES = ['ha tinh', 'huong son', 'phuong', 'xa', 'so', 'thach', 'ky anh', 'HÀ TĨNH', 'cải cách', 'thu tuc', 'nhiem vu', 'ke hoach'];
// step actions and their weights, by state (core/dossier.c holds the rules)
const MOVES = {
  processing: [[8, 'hand_over'], [1, 'ask'], [1, 'apologise'], [0.5, 'refuse'], [0.4, 'withdraw'], [0.3, 'stop']],
  supplement: [[4, 'supplied'], [0.5, 'withdraw'], [0.5, 'refuse']],
  ready: [[2, 'notify'], [2, 'return']],
  notified: [[1, 'return']],
};
const AT_DESK = new Set(['supplied', 'withdraw', 'notify', 'return']);
const REASONED = new Set(['ask', 'apologise', 'refuse', 'stop', 'withdraw']);

export class History {
  /**
   * 'bases': the two servers' base URLs; 'names': what to call them in a
   * report; 'seed'; 'log' (optional) receives a line per step.
   */
  constructor({ bases, names = ['sqlite', 'postgresql'], seed, log = null }) {
    this.bases = bases;
    this.names = names;
    this.seed = seed;
    this.rnd = new Random(seed);
    this.log = log;
    this.step = 0;
    this.n = 0; // a counter for unique codes and names
    this.counts = {}; // operations by label
    this.statuses = {}; // answers by status
    this.allowed = {}; // normalisations used, by name
    this.guardWaitMs = 0;
    this.pending = []; // operations that must come next
    this.people = new Map(); // username -> Person
    this.units = new Map(); // id -> {id, code, kind, parent_id, valid_from, valid_to, mine}
    this.documents = []; // {id, number, issued_on}
    this.tasks = new Map(); // id -> {id, lead_unit_id, coordinating, assigned_on, deadline, completed_on, changed_on}
    this.procedures = []; // {code, level, steps}
    this.dossiers = new Map(); // code -> {code, state, version, step, desk, procedure, phone, secrets, due_local}
    this.calendars = new Map(); // year -> its answer
    this.anon = bases.map((b) => new Client(b));
    this.bearer = null; // [Client, Client] acting with a token
    this.misses = 0; // public lookups that missed: 60 in 15 minutes stop every lookup of this address
    this.wrongSignIns = 0; // failed sign-ins: 20 in 15 minutes stop every sign-in of this address
  }

  // ---- sending ----

  /**
   * Sends 'op' to both servers at once and compares the answers; throws a
   * HistoryMismatch on the first difference. An operation is
   * {label, as (a user name, or null for nobody signed in), clients (instead
   * of 'as'), method, path, body (each a value, or a function of the side 0
   * or 1), timed (its answer depends on the minute of the clock), refused
   * (a request that must be refused), then(answer, answers)}.
   */
  async send(op) {
    // (someone signed out since the operation was chosen asks as nobody: 401 on both)
    const clients = op.clients || (op.as && this.people.get(op.as).clients) || this.anon;
    const at = (v, side) => (typeof v === 'function' ? v(side) : v);
    const request = {
      method: op.method,
      path: [0, 1].map((s) => at(op.path, s)),
      body: [0, 1].map((s) => at(op.body, s)),
    };
    if (op.timed) await this.minuteGuard();
    let answers;
    try {
      answers = await Promise.all([0, 1].map((s) =>
        clients[s].request(request.method, request.path[s], request.body[s] === undefined ? {} : { body: request.body[s] })));
    } catch (e) { // an answer the API document does not describe, or no answer
      e.message = `at step ${this.step} of the history of seed ${this.seed} (${op.label}: ${request.method} ` +
        `${request.path[0]}): ${e.message}\nagain: REFORM_HISTORY_SEED=${this.seed}`;
      throw e;
    }
    this.counts[op.label] = (this.counts[op.label] || 0) + 1;
    this.statuses[answers[0].status] = (this.statuses[answers[0].status] || 0) + 1;
    const diffs = [];
    if (answers[0].status !== answers[1].status) diffs.push(['status', answers[0].status, answers[1].status]);
    const type = (a) => (a.headers.get('content-type') || '').split(';')[0];
    if (type(answers[0]) !== type(answers[1])) diffs.push(['content-type', type(answers[0]), type(answers[1])]);
    const seen = {};
    if (answers[0].json !== null || answers[1].json !== null) differences(answers[0].json, answers[1].json, seen, '', diffs);
    else if (answers[0].text !== answers[1].text) diffs.push(['(text)', answers[0].text, answers[1].text]);
    if (diffs.length)
      throw new HistoryMismatch({ seed: this.seed, step: this.step, op, request, answers, names: this.names, diffs });
    for (const [k, n] of Object.entries(seen)) this.allowed[k] = (this.allowed[k] || 0) + n;
    if (op.refused && answers[0].status < 400)
      throw new HistoryMismatch({
        seed: this.seed, step: this.step, op, request, answers, names: this.names, diffs: [],
        note: 'a request that must be refused was accepted by both',
      });
    if (op.then && answers[0].status < 300) op.then(answers[0].json, answers);
    if (this.log) this.log(`${this.step} ${op.label} ${request.method} ${request.path[0]} ${answers[0].status}`);
    return answers[0];
  }

  // An answer that depends on the clock's minute (a due time, the working
  // time left, today) is asked for only when both servers can read the same
  // minute: not in the last half second of one.
  async minuteGuard() {
    const left = 60e3 - (Date.now() % 60e3);
    if (left < 500) {
      await new Promise((ok) => setTimeout(ok, left + 20));
      this.guardWaitMs += left + 20;
    }
  }

  // ---- the run ----

  // Signs the demo users in and reads what the history starts from, comparing every answer.
  async setup() {
    this.step = 0;
    for (const u of ['admin', 'secretariat', 'chairman', 'clerk.hcc', 'clerk.huongson', 'officer.stnmt', 'focal.stp',
      'focal.tphatinh', 'focal.tranphu', 'focal.sonkim1', 'focal.thanhsen', 'leader.tphatinh', 'inspector'])
      this.people.set(u, new Person({ username: u, password: demoPassword(u), id: null, unit_id: null, roles: [] }));
    for (const p of this.people.values()) await this.send(this.signIn(p));
    for (const q of [`date=${OLD}&limit=1000`, 'limit=1000'])
      await this.send({
        label: 'setup.units', as: 'admin', method: 'GET', path: `/api/v1/units?${q}`,
        then: (j) => { for (const u of j.items) this.learnUnit(u); },
      });
    await this.send({
      label: 'setup.users', as: 'admin', method: 'GET', path: '/api/v1/users?limit=1000',
      then: (j) => {
        for (const u of j.items) {
          const p = this.people.get(u.username);
          if (p) Object.assign(p, { id: u.id, unit_id: u.unit_id, roles: u.roles });
        }
      },
    });
    await this.send({
      label: 'setup.procedures', as: 'clerk.hcc', method: 'GET', path: '/api/v1/procedures?limit=1000',
      then: (j) => { this.procedures = j.items.map((p) => ({ id: p.id, code: p.code, level: p.level, steps: null })); },
    });
    for (const p of this.procedures)
      await this.send({
        label: 'setup.procedure', as: 'clerk.hcc', method: 'GET', path: `/api/v1/procedures/${p.id}`,
        then: (j) => { p.steps = j.steps; },
      });
    await this.send({
      label: 'setup.documents', as: 'secretariat', method: 'GET', path: '/api/v1/documents?limit=1000',
      then: (j) => { for (const d of j.items) this.documents.push({ id: d.id, number: d.number, issued_on: d.issued_on }); },
    });
    for (let year = Number(today().slice(0, 4)) + 1; year <= Number(today().slice(0, 4)) + 3; year++)
      await this.send({ ...this.calendarReadOp(year), label: 'setup.calendar' });
    let cursor = null;
    do {
      await this.send({
        label: 'setup.tasks', as: 'secretariat', method: 'GET',
        path: `/api/v1/tasks?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        then: (j) => {
          for (const t of j.items) this.learnTask(t);
          cursor = j.next;
        },
      });
    } while (cursor);
  }

  // Plays 'steps' operations after setup(); resolves the run's figures.
  async run(steps) {
    const started = Date.now();
    for (let i = 1; i <= steps; i++) {
      this.step = i;
      await this.send(this.next());
    }
    return this.summary(Date.now() - started);
  }

  summary(ms) {
    return {
      seed: this.seed, steps: this.step, ms, guardWaitMs: this.guardWaitMs,
      counts: this.counts, statuses: this.statuses, allowed: this.allowed,
      units: this.units.size, people: this.people.size, tasks: this.tasks.size, dossiers: this.dossiers.size,
    };
  }

  // The next operation: one that had to wait its turn, or a new one: first
  // each kind once in an order of the seed's (so that a short history has
  // them all), then by weight.
  next() {
    if (this.pending.length) return this.pending.shift();
    if (!this.firstRound) {
      this.firstRound = WEIGHTS.map(([, name]) => name);
      for (let i = this.firstRound.length - 1; i > 0; i--) {
        const j = this.rnd.int(i + 1);
        [this.firstRound[i], this.firstRound[j]] = [this.firstRound[j], this.firstRound[i]];
      }
    }
    while (this.firstRound.length) {
      const op = this[this.firstRound.shift()]();
      if (op) return op;
    }
    for (let tries = 0; tries < 1000; tries++) {
      const name = this.rnd.weighted(WEIGHTS);
      const op = this[name]();
      if (op) return op; // what it left waiting comes after it
    }
    throw new Error('the history found nothing to do');
  }

  // The reads compared once the history is over: the figures, the audit
  // trail and every list, all pages.
  async finalReads() {
    const year = today().slice(0, 4);
    const reads = [
      ['secretariat', `/api/v1/dossiers/stats?period=${year}`],
      ['secretariat', `/api/v1/dossiers/stats?period=${today()}..${today()}`],
      ['chairman', `/api/v1/dossiers/stats?period=${year}&by=unit`],
      ['secretariat', `/api/v1/dossiers/stats?period=${year}&by=field`],
      ['secretariat', `/api/v1/dossiers/stats?period=${year}&by=level`],
      ['secretariat', '/api/v1/tasks/stats?period=2023'],
      ['secretariat', '/api/v1/tasks/stats?period=2023-9M&as_of=2023-09-30'],
      ['secretariat', `/api/v1/tasks/stats?period=${year}`],
      ['chairman', `/api/v1/tasks/stats?period=2023..${today()}`],
      ['secretariat', `/api/v1/tasks/reminders?within=10`],
      ['admin', `/api/v1/units/${this.root().id}/tree`],
      ['admin', `/api/v1/units/${this.root().id}/tree?date=${OLD}`],
    ];
    for (const [as, path] of reads) await this.send({ label: 'final.figures', as, method: 'GET', path, timed: true });
    for (const [as, path] of [['admin', '/api/v1/audit?limit=1000'], ['admin', '/api/v1/users?limit=1000'],
      ['secretariat', '/api/v1/tasks?limit=1000'], ['secretariat', '/api/v1/documents?limit=1000'],
      ['secretariat', `/api/v1/dossiers?taken=${year}&limit=1000`], ['admin', '/api/v1/units?limit=1000']]) {
      let cursor = null;
      do {
        await this.send({
          label: 'final.list', as, method: 'GET', timed: true,
          path: `${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          then: (j) => { cursor = j.next; },
        });
      } while (cursor);
    }
  }

  // ---- what the answers teach ----

  learnUnit(u) {
    const known = this.units.get(u.id) || { mine: false };
    this.units.set(u.id, { ...known, id: u.id, code: u.code, name: u.name, kind: u.kind, parent_id: u.parent_id, valid_from: u.valid_from, valid_to: u.valid_to });
  }

  learnTask(t) {
    const known = this.tasks.get(t.id) || { coordinating: [], changed_on: t.assigned_on };
    const coordinating = t.coordinating_units ? t.coordinating_units.map((u) => u.id) : known.coordinating;
    const changed_on = t.deadlines ? t.deadlines.at(-1).set_on : known.changed_on;
    this.tasks.set(t.id, { ...known, id: t.id, lead_unit_id: t.lead_unit_id, coordinating, assigned_on: t.assigned_on, deadline: t.deadline, completed_on: t.completed_on, document_id: t.document_id, changed_on });
  }

  learnDossier(d, secrets = null) {
    const known = this.dossiers.get(d.code) || {};
    this.dossiers.set(d.code, {
      ...known, code: d.code, state: d.state, version: d.version, step: d.step, desk: d.desk_unit_id,
      procedure: d.procedure.code, due_local: d.due_local, phone: d.applicant?.phone ?? known.phone,
      secrets: secrets || known.secrets || null,
    });
  }

  root() { return [...this.units.values()].find((u) => u.kind === 'province'); }
  inForce(u, day) { return u.valid_from <= day && (!u.valid_to || day < u.valid_to); }
  unitsOn(day, kinds) { return [...this.units.values()].filter((u) => this.inForce(u, day) && (!kinds || kinds.includes(u.kind))); }
  unitByCode(code) { return [...this.units.values()].find((u) => u.code === code); }
  signedIn(filter) { return [...this.people.values()].filter((p) => p.clients && !p.disabled && p.id && filter(p)); }
  // who reads: mostly someone who sees the whole province, else anyone signed in (whose
  // scope may answer 404, as it must on both)
  reader(filter = () => true) {
    const wide = this.signedIn((p) => filter(p) && (p.unit_id === this.root().id || ['admin', 'secretariat', 'inspector'].some((r) => p.can(r))));
    return this.rnd.pick(wide.length && this.rnd.chance(0.7) ? wide : this.signedIn(filter));
  }
  // a day in the unit's validity, mostly
  dayOf(u) {
    if (this.rnd.chance(0.2)) return this.date('2022-01-01', addDays(today(), 90));
    return this.date(maxDay(u.valid_from, '2022-01-01'), u.valid_to ? addDays(u.valid_to, -1) : addDays(today(), 90));
  }
  uniq() { return ++this.n; }
  date(from, to) { return isoOfNumber(this.rnd.range(dayNumber(from), dayNumber(to))); }
  name() { return `${this.rnd.pick(WORDS)} ${this.rnd.pick(WORDS)}`; }
  person() { return `${this.rnd.pick(SURNAMES)} ${this.rnd.pick(GIVEN)}`; }
  phone() {
    const digits = `09${String(this.rnd.int(1e8)).padStart(8, '0')}`;
    return this.rnd.pick([digits, `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`, `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`]);
  }
  password() { return `${this.rnd.pick(WORDS)} ${this.rnd.pick(GIVEN)} ${this.rnd.range(1000, 9999)} ${this.rnd.pick(WORDS)}!`; }

  // A person who may act at 'unit' with one of 'roles', signed in; when
  // there is none, the operations that make one wait their turn and null is
  // returned.
  actorAt(unitId, roles) {
    const found = this.signedIn((p) => p.unit_id === unitId && roles.some((r) => p.can(r)));
    if (found.length) return this.rnd.pick(found);
    const idle = [...this.people.values()].find((p) => !p.clients && !p.disabled && p.id && p.unit_id === unitId && roles.some((r) => p.can(r)));
    if (idle) { this.pending.push(this.signIn(idle)); return null; }
    if (this.pending.length) return null;
    const p = new Person({ username: `${roles[0]}.h${this.uniq()}`, password: this.password(), id: null, unit_id: unitId, roles: [roles[0]] });
    this.pending.push(this.userCreateOp(p, true));
    return null;
  }

  // ---- sessions ----

  signIn(p) {
    const clients = this.bases.map((b) => new Client(b));
    return {
      label: 'session.signin', clients, method: 'POST', path: '/api/v1/session',
      body: { username: p.username, password: p.password },
      then: (j, answers) => {
        answers.forEach((a, s) => { clients[s].csrf = a.json.csrf_token; });
        Object.assign(p, { clients, id: j.user.id, unit_id: j.user.unit.id, roles: j.user.roles });
      },
    };
  }

  signInWrong() {
    if (this.wrongSignIns >= 3) return null;
    this.wrongSignIns++;
    const p = this.rnd.pick([...this.people.values()]);
    return { label: 'session.wrong', clients: this.anon, method: 'POST', path: '/api/v1/session', body: { username: p.username, password: 'not the password 0000' }, refused: true };
  }

  // a spare user signs out; the next operation of theirs signs in again
  signOut() {
    const p = this.rnd.pick(this.signedIn((x) => x.spare));
    if (!p) return null;
    return { label: 'session.signout', as: p.username, method: 'DELETE', path: '/api/v1/session', then: () => { p.clients = null; } };
  }

  // a spare user changes their password, which ends their sessions; now and then with a wrong
  // current one, which counts as a failed sign-in
  passwordChange() {
    const p = this.rnd.pick(this.signedIn((x) => x.spare));
    if (!p) return null;
    const wrong = this.wrongSignIns < 3 && this.rnd.chance(0.2);
    if (wrong) this.wrongSignIns++;
    const next = this.password();
    return {
      label: wrong ? 'session.password.wrong' : 'session.password', as: p.username, method: 'PUT', path: '/api/v1/session/password',
      body: { current_password: wrong ? 'not the password 0000' : p.password, new_password: this.rnd.chance(0.1) ? 'password123' : next },
      then: () => { p.password = next; p.clients = null; },
    };
  }

  // ---- units ----

  unitCreate() {
    const day = today();
    const root = this.root();
    const n = this.uniq();
    if (this.rnd.chance(0.5)) {
      const parents = [root, ...this.unitsOn(day, ['department'])];
      const parent = this.rnd.pick(parents);
      const from = this.date(maxDay(parent.valid_from, '2024-01-01'), addDays(day, 60));
      return this.unitCreateOp({ code: `H${n}`, name: `Phòng ${this.name()} ${n}`, kind: 'department', parent_id: parent.id, valid_from: from });
    }
    const kind = this.rnd.pick(['commune', 'ward']);
    const from = this.date(TWO_LEVEL, addDays(day, 60));
    return this.unitCreateOp({ code: `X${n}`, name: `${kind === 'ward' ? 'Phường' : 'Xã'} ${this.name()} ${n}`, kind, parent_id: root.id, valid_from: from });
  }

  // a district of the three-level tree, or a commune under one
  unitCreateOld() {
    const n = this.uniq();
    const districts = this.unitsOn(OLD, ['district', 'city', 'town']);
    if (this.rnd.chance(0.6) && districts.length) {
      const parent = this.rnd.pick(districts);
      const from = this.date(maxDay(parent.valid_from, '2021-01-01'), '2024-12-31');
      return this.unitCreateOp({ code: `C${n}`, name: `Xã ${this.name()} ${n}`, kind: this.rnd.pick(['commune', 'township']), parent_id: parent.id, valid_from: from, valid_to: minDay(parent.valid_to, TWO_LEVEL) });
    }
    return this.unitCreateOp({ code: `D${n}`, name: `Huyện ${this.name()} ${n}`, kind: 'district', parent_id: this.root().id, valid_from: this.date('2021-01-01', '2024-12-31'), valid_to: TWO_LEVEL });
  }

  unitCreateOp(body) {
    return {
      label: 'units.create', as: 'admin', method: 'POST', path: '/api/v1/units', body,
      then: (j) => { this.learnUnit(j); this.units.get(j.id).mine = true; },
    };
  }

  mine(filter = () => true) { return [...this.units.values()].filter((u) => u.mine && filter(u)); }

  unitRename() {
    const u = this.rnd.chance(0.3) ? this.rnd.pick([...this.units.values()]) : this.rnd.pick(this.mine());
    if (!u) return null;
    const body = {};
    if (this.rnd.chance(0.8)) body.name = `${u.name.split(' ')[0]} ${this.name()} ${this.uniq()}`;
    if (this.rnd.chance(0.3)) body.generated = this.rnd.chance(0.5);
    if (['commune', 'ward', 'township'].includes(u.kind) && this.rnd.chance(0.3)) body.kind = this.rnd.pick(['commune', 'ward', 'township']);
    return { label: 'units.patch', as: 'admin', method: 'PATCH', path: `/api/v1/units/${u.id}`, body, then: (j) => this.learnUnit(j) };
  }

  unitMove() {
    const day = today();
    // mostly one of the history's own departments; now and then one of the demo's, the
    // provincial service center among them, whose receipts then count under its new parent
    const u = this.rnd.chance(0.15) ? this.rnd.pick(this.unitsOn(day, ['department'])) : this.rnd.pick(this.mine((x) => x.kind === 'department' && !x.valid_to));
    if (!u) return null;
    const parent = this.rnd.pick([this.root(), ...this.unitsOn(day, ['department']).filter((x) => x.id !== u.id)]);
    const from = this.date(maxDay(u.valid_from, parent.valid_from), addDays(maxDay(u.valid_from, day), 30));
    return {
      label: 'units.move', as: 'admin', method: 'POST', path: `/api/v1/units/${u.id}/move`, body: { parent_id: parent.id, from },
      then: (j) => this.learnUnit(j),
    };
  }

  unitEnd() {
    const u = this.rnd.pick(this.mine((x) => !x.valid_to));
    if (!u) return null;
    const day = today();
    const date = this.date(addDays(u.valid_from, 1), addDays(maxDay(u.valid_from, day), 90));
    const body = { date };
    if (this.rnd.chance(0.5)) {
      const heirs = this.unitsOn(date, [u.kind]).filter((x) => x.id !== u.id);
      if (heirs.length) body.successor_id = this.rnd.pick(heirs).id;
    }
    return { label: 'units.end', as: 'admin', method: 'POST', path: `/api/v1/units/${u.id}/end`, body, then: (j) => this.learnUnit(j) };
  }

  unitRefused() {
    const root = this.root();
    const some = this.rnd.pick([...this.units.values()]);
    const day = today();
    const [as, method, path, body] = this.rnd.pick([
      ['admin', 'POST', '/api/v1/units', { code: some.code, name: 'Trùng mã', kind: 'department', parent_id: root.id, valid_from: day }],
      ['admin', 'POST', '/api/v1/units', { code: `Z${this.uniq()}`, name: 'Xã sai cấp', kind: 'commune', parent_id: this.rnd.pick(this.unitsOn(day, ['department'])).id, valid_from: day }],
      ['admin', 'POST', '/api/v1/units', { code: `Z${this.uniq()}`, name: 'Huyện mới', kind: 'district', parent_id: root.id, valid_from: day }],
      ['admin', 'POST', '/api/v1/units', { code: `Z${this.uniq()}`, name: 'Ngược ngày', kind: 'department', parent_id: root.id, valid_from: '2026-02-30' }],
      ['admin', 'POST', '/api/v1/units', { code: 'bad code!', name: '', kind: 'planet', parent_id: 0, valid_from: 'soon' }],
      ['admin', 'POST', '/api/v1/units', { code: `Z${this.uniq()}`, name: 'Thừa', kind: 'department', parent_id: root.id, valid_from: day, colour: 'red' }],
      ['admin', 'PATCH', `/api/v1/units/${some.id}`, { name: 42 }],
      ['admin', 'POST', `/api/v1/units/${root.id}/move`, { parent_id: some.id, from: day }],
      ['admin', 'POST', '/api/v1/units/999999/end', { date: day }],
      ['secretariat', 'POST', '/api/v1/units', { code: `Z${this.uniq()}`, name: 'Không quyền', kind: 'department', parent_id: root.id, valid_from: day }],
    ]);
    return { label: 'units.refused', as, method, path, body, refused: true };
  }

  unitTree() {
    const who = this.reader();
    const u = this.rnd.chance(0.5) ? this.root() : this.rnd.pick([...this.units.values()]);
    const q = new URLSearchParams();
    if (this.rnd.chance(0.5) || u.valid_to) q.set('date', this.dayOf(u));
    if (this.rnd.chance(0.3)) q.set('depth', String(this.rnd.range(0, 3)));
    return { label: 'units.tree', as: who.username, method: 'GET', path: `/api/v1/units/${u.id}/tree?${q}`, timed: true };
  }

  unitList() {
    const who = this.rnd.pick(this.signedIn(() => true));
    const q = new URLSearchParams();
    if (this.rnd.chance(0.5)) q.set('q', this.rnd.pick([...SEARCHES, this.rnd.pick(WORDS)]));
    if (this.rnd.chance(0.3)) q.set('kind', this.rnd.pick(['department', 'commune', 'ward', 'district', 'city']));
    if (this.rnd.chance(0.3)) q.set('parent', String(this.rnd.pick([...this.units.values()]).id));
    if (this.rnd.chance(0.4)) q.set('date', this.date('2022-01-01', addDays(today(), 90)));
    if (this.rnd.chance(0.5)) q.set('limit', String(this.rnd.range(1, 50)));
    return this.pages('units.list', who.username, `/api/v1/units?${q}`);
  }

  unitDetail() {
    const who = this.reader();
    const u = this.rnd.pick([...this.units.values()]);
    const q = this.rnd.chance(0.5) ? `?date=${this.dayOf(u)}` : '';
    return { label: 'units.detail', as: who.username, method: 'GET', path: `/api/v1/units/${u.id}${q}`, timed: true };
  }

  // A list read page after page (a few pages at most): the first page now,
  // the next ones as operations that wait their turn.
  pages(label, as, path, more = 3) {
    const op = {
      label, as, method: 'GET', path, timed: true,
      then: (j) => {
        if (j.next && more > 0) {
          const sep = path.includes('?') ? '&' : '?';
          const base = path.replace(/[?&]cursor=[^&]*/, '');
          this.pending.unshift(this.pages(label, as, `${base}${sep}cursor=${encodeURIComponent(j.next)}`.replace('?&', '?'), more - 1));
        }
      },
    };
    return op;
  }

  // ---- users ----

  userCreate() {
    const day = today();
    const unit = this.rnd.pick(this.unitsOn(day));
    const roles = this.rnd.some(['leader', 'focal', 'clerk', 'officer', 'inspector'], 2);
    if (!roles.length) roles.push('focal');
    const p = new Person({ username: `${roles[0]}.h${this.uniq()}`, password: this.password(), id: null, unit_id: unit.id, roles });
    p.spare = true;
    return this.userCreateOp(p, this.rnd.chance(0.5));
  }

  // the creation of 'p' and, once it is made, when 'signIn', their sign-in
  userCreateOp(p, signIn) {
    this.people.set(p.username, p);
    return {
      label: 'users.create', as: 'admin', method: 'POST', path: '/api/v1/users',
      body: { username: p.username, full_name: this.person(), unit_id: p.unit_id, roles: p.roles, password: p.password },
      then: (j) => {
        p.id = j.id;
        if (signIn) this.pending.push(this.signIn(p));
      },
    };
  }

  userChange() {
    const p = this.rnd.pick([...this.people.values()].filter((x) => x.spare && x.id));
    if (!p) return null;
    const body = {};
    const what = this.rnd.int(4);
    if (what === 0) body.full_name = this.person();
    if (what === 1) body.roles = [this.rnd.pick(['leader', 'focal', 'clerk', 'officer', 'inspector']), ...this.rnd.some(['focal', 'clerk'], 1)].filter((r, i, all) => all.indexOf(r) === i);
    if (what === 2) body.disabled = !p.disabled;
    if (what === 3) body.unit_id = this.rnd.pick(this.unitsOn(today())).id;
    return {
      label: 'users.patch', as: 'admin', method: 'PATCH', path: `/api/v1/users/${p.id}`, body,
      then: (j) => {
        Object.assign(p, { roles: j.roles, unit_id: j.unit_id, disabled: j.disabled });
        if (j.disabled) p.clients = null; // disabling ends the sessions
      },
    };
  }

  userRefused() {
    const some = this.rnd.pick([...this.people.values()].filter((p) => p.id));
    const unit = this.rnd.pick(this.unitsOn(today())).id;
    const body = this.rnd.pick([
      { username: some.username, full_name: 'Trùng tên', unit_id: unit, roles: ['focal'], password: this.password() },
      { username: `weak.h${this.uniq()}`, full_name: 'Mật khẩu yếu', unit_id: unit, roles: ['focal'], password: 'password123' },
      { username: `roles.h${this.uniq()}`, full_name: 'Vai trò lạ', unit_id: unit, roles: ['king'], password: this.password() },
      { username: `Bad Name ${this.uniq()}`, full_name: '', unit_id: 999999, roles: [], password: 'x' },
      { username: `unit.h${this.uniq()}`, full_name: 'Đơn vị chữ', unit_id: String(unit), roles: ['focal'], password: this.password() },
    ]);
    return { label: 'users.refused', as: this.rnd.chance(0.9) ? 'admin' : 'secretariat', method: 'POST', path: '/api/v1/users', body, refused: true };
  }

  userList() {
    const who = this.rnd.pick(this.signedIn((p) => p.can('admin') || p.can('leader')));
    if (this.rnd.chance(0.3)) {
      const p = this.rnd.pick([...this.people.values()].filter((x) => x.id));
      return { label: 'users.detail', as: who.username, method: 'GET', path: `/api/v1/users/${p.id}` };
    }
    const q = new URLSearchParams();
    if (this.rnd.chance(0.4)) q.set('unit', String(this.rnd.pick([...this.units.values()]).id));
    if (this.rnd.chance(0.4)) q.set('q', this.rnd.pick([...SURNAMES, 'nguyen', 'tran', 'clerk', 'officer']));
    if (this.rnd.chance(0.5)) q.set('limit', String(this.rnd.range(1, 20)));
    return this.pages('users.list', who.username, `/api/v1/users?${q}`);
  }

  // ---- documents and tasks ----

  documentCreate() {
    const n = this.uniq();
    const body = {
      number: `${n}/${this.rnd.pick(['KH-SNV', 'QĐ-SNV', 'TB-SNV', 'KL/BCS', 'CV-UBND'])}`,
      issuer: this.rnd.pick(['UBND tỉnh Hà Tĩnh', 'Chính phủ', 'Tỉnh ủy Hà Tĩnh', 'Thủ tướng Chính phủ']),
      issued_on: this.date('2023-01-01', today()),
      title: `Kế hoạch ${this.rnd.pick(['cải cách hành chính', 'chuyển đổi số', 'tinh gọn bộ máy'])} ${this.name()}`,
      assigning_body: this.rnd.pick(BODIES),
    };
    return {
      label: 'documents.create', as: 'secretariat', method: 'POST', path: '/api/v1/documents', body,
      then: (j) => this.documents.push({ id: j.id, number: j.number, issued_on: j.issued_on }),
    };
  }

  // the input of one new task under document 'doc'
  taskInput(doc, bulk = false) {
    const assigned = this.date(doc.issued_on, today());
    const leads = this.unitsOn(assigned).filter((u) => u.kind !== 'province');
    const lead = this.rnd.pick(leads);
    const t = { title: `Nhiệm vụ ${this.rnd.pick(['rà soát', 'triển khai', 'báo cáo', 'số hóa'])} ${this.name()} ${this.uniq()}`, lead_unit_id: lead.id, field: this.rnd.pick(FIELDS) };
    if (!bulk) t.document_id = doc.id;
    if (this.rnd.chance(0.8)) t.assigned_on = assigned;
    if (this.rnd.chance(0.8)) t.deadline = this.date(assigned, addDays(assigned, 500));
    if (this.rnd.chance(0.3)) t.coordinating_units = this.rnd.some(leads.filter((u) => u.id !== lead.id).map((u) => u.id), 3);
    if (this.rnd.chance(0.3)) t.assigning_body = this.rnd.pick(BODIES);
    if (this.rnd.chance(0.2)) t.ref = `R${this.uniq()}`;
    return t;
  }

  taskCreate() {
    const doc = this.rnd.pick(this.documents);
    return {
      label: 'tasks.create', as: 'secretariat', method: 'POST', path: '/api/v1/tasks', body: this.taskInput(doc), timed: true,
      then: (j) => this.learnTask(j),
    };
  }

  // several tasks at once, all or none: sometimes one of them bad
  taskBulk() {
    const doc = this.rnd.pick(this.documents);
    const tasks = Array.from({ length: this.rnd.range(1, 4) }, () => this.taskInput(doc, true));
    const bad = this.rnd.chance(0.3);
    if (bad) {
      const i = this.rnd.int(tasks.length);
      tasks[i] = this.rnd.pick([{ ...tasks[i], field: 'agriculture' }, { ...tasks[i], lead_unit_id: 999999 }, { ...tasks[i], deadline: '2020-01-01', assigned_on: '2023-01-01' }]);
    }
    return {
      label: bad ? 'tasks.bulk.refused' : 'tasks.bulk', as: 'secretariat', method: 'POST', path: `/api/v1/documents/${doc.id}/tasks`,
      body: { tasks }, refused: bad, timed: true,
      then: (j) => {
        // the ids, then each task's detail, read in turn
        for (const id of j.ids) this.pending.push({ label: 'tasks.detail', as: 'secretariat', method: 'GET', path: `/api/v1/tasks/${id}`, timed: true, then: (t) => this.learnTask(t) });
      },
    };
  }

  someTask() { return this.rnd.pick([...this.tasks.values()]); }

  taskPatch() {
    const t = this.someTask();
    const body = {};
    if (this.rnd.chance(0.5)) body.title = `Nhiệm vụ sửa ${this.name()} ${this.uniq()}`;
    if (this.rnd.chance(0.4)) body.field = this.rnd.pick(FIELDS);
    if (this.rnd.chance(0.3)) body.lead_unit_id = this.rnd.pick(this.unitsOn(t.assigned_on).filter((u) => u.kind !== 'province')).id;
    return { label: 'tasks.patch', as: 'secretariat', method: 'PATCH', path: `/api/v1/tasks/${t.id}`, body, timed: true, then: (j) => this.learnTask(j) };
  }

  // who reports for a task: a focal point of its lead or a coordinating unit, else the secretariat
  reporterOf(t) {
    const focal = this.signedIn((p) => p.can('focal') && (p.unit_id === t.lead_unit_id || t.coordinating.includes(p.unit_id)));
    return focal.length && this.rnd.chance(0.7) ? this.rnd.pick(focal).username : 'secretariat';
  }

  taskReport() {
    const t = this.someTask();
    const day = today();
    const body = { reported_on: this.date(t.assigned_on, day), percent: this.rnd.range(0, 100), note: `Đã ${this.rnd.pick(['rà soát', 'hoàn thành một phần', 'họp'])} ${this.name()}` };
    return { label: 'tasks.report', as: this.reporterOf(t), method: 'POST', path: `/api/v1/tasks/${t.id}/reports`, body, timed: true };
  }

  taskComplete() {
    const t = this.someTask();
    if (t.completed_on && this.rnd.chance(0.8)) return null;
    const day = today();
    const lead = this.signedIn((p) => p.can('focal') && p.unit_id === t.lead_unit_id);
    const as = lead.length && this.rnd.chance(0.6) ? this.rnd.pick(lead).username : 'secretariat';
    return {
      label: 'tasks.complete', as, method: 'POST', path: `/api/v1/tasks/${t.id}/complete`, body: { completed_on: this.date(t.assigned_on, day) }, timed: true,
      then: (j) => this.learnTask(j),
    };
  }

  taskDeadline() {
    const open = [...this.tasks.values()].filter((x) => !x.completed_on);
    const t = open.length && this.rnd.chance(0.9) ? this.rnd.pick(open) : this.someTask();
    const body = { reason: `Gia hạn theo ${this.rnd.pick(['Công văn', 'Thông báo'])} ${this.uniq()}/UBND` };
    if (this.rnd.chance(0.85)) body.deadline = this.date(t.assigned_on, addDays(today(), 365));
    if (this.rnd.chance(0.5)) body.decided_on = this.date(maxDay(t.assigned_on, t.changed_on), today());
    return {
      label: 'tasks.deadline', as: 'secretariat', method: 'POST', path: `/api/v1/tasks/${t.id}/deadline`, body, timed: true,
      then: (j) => this.learnTask(j),
    };
  }

  taskRefused() {
    const t = this.someTask();
    const doc = this.rnd.pick(this.documents);
    const focal = this.rnd.pick(this.signedIn((p) => p.can('focal') && !p.can('secretariat')));
    const [as, method, path, body] = this.rnd.pick([
      ['secretariat', 'POST', '/api/v1/documents', { number: doc.number, issuer: 'Trùng', issued_on: '2023-02-01', title: 'Trùng số', assigning_body: 'chairman' }],
      ['secretariat', 'POST', '/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: t.lead_unit_id, field: 'apparatus', assigned_on: '2023-03-01', deadline: '2023-02-28' }],
      ['secretariat', 'POST', `/api/v1/tasks/${t.id}/reports`, { reported_on: addDays(today(), 3), percent: 50, note: 'Ngày mai' }],
      ['secretariat', 'POST', `/api/v1/tasks/${t.id}/reports`, { reported_on: t.assigned_on, percent: 101, note: 'Quá trăm' }],
      ['secretariat', 'POST', `/api/v1/tasks/${t.id}/complete`, { completed_on: addDays(t.assigned_on, -1) }],
      ['secretariat', 'POST', `/api/v1/tasks/${t.id}/deadline`, { deadline: '', reason: 'Rỗng' }],
      ['secretariat', 'POST', '/api/v1/tasks/999999/complete', { completed_on: today() }],
      [focal?.username || 'focal.stp', 'POST', '/api/v1/documents', { number: `F${this.uniq()}`, issuer: 'X', issued_on: '2023-01-01', title: 'X', assigning_body: 'government' }],
      [focal?.username || 'focal.stp', 'POST', `/api/v1/tasks/${t.id}/deadline`, { deadline: today(), reason: 'Không quyền' }],
      ['secretariat', 'PATCH', `/api/v1/tasks/${t.id}`, { colour: 'red' }],
    ]);
    return { label: 'tasks.refused', as, method, path, body, refused: true, timed: true };
  }

  taskList() {
    const who = this.rnd.pick(this.signedIn(() => true));
    const q = new URLSearchParams();
    const day = today();
    if (this.rnd.chance(0.4)) q.set('date', this.date('2023-01-01', addDays(day, 60)));
    if (this.rnd.chance(0.4)) q.set('status', this.rnd.some(STATUSES, 2).join(',') || 'overdue');
    if (this.rnd.chance(0.2)) q.set('document', String(this.rnd.pick(this.documents).id));
    if (this.rnd.chance(0.3)) q.set('lead_unit', String(this.rnd.pick([...this.units.values()]).id));
    if (this.rnd.chance(0.3)) q.set('field', this.rnd.pick(FIELDS));
    if (this.rnd.chance(0.2)) q.set('assigning_body', this.rnd.some(BODIES, 2).join(',') || 'government');
    if (this.rnd.chance(0.2)) { const f = this.date('2023-01-01', day); q.set('assigned_from', f); q.set('assigned_to', this.date(f, addDays(day, 30))); }
    if (this.rnd.chance(0.2)) { const f = this.date('2023-01-01', day); q.set('deadline_from', f); q.set('deadline_to', this.date(f, addDays(day, 400))); }
    if (this.rnd.chance(0.2)) q.set('q', this.rnd.pick(['nhiem vu', 'rà soát', 'thu tuc', 'so hoa', 'cải cách', this.rnd.pick(WORDS)]));
    q.set('limit', String(this.rnd.chance(0.5) ? this.rnd.range(1, 40) : 100));
    return this.pages('tasks.list', who.username, `/api/v1/tasks?${q}`);
  }

  taskDetail() {
    const who = this.reader();
    const t = this.someTask();
    const q = this.rnd.chance(0.5) ? `?date=${this.date('2023-01-01', addDays(today(), 60))}` : '';
    if (this.rnd.chance(0.2)) return { label: 'documents.detail', as: who.username, method: 'GET', path: `/api/v1/documents/${this.rnd.pick(this.documents).id}` };
    return { label: 'tasks.detail', as: who.username, method: 'GET', path: `/api/v1/tasks/${t.id}${q}`, timed: true };
  }

  period() {
    const y = this.rnd.range(2023, Number(today().slice(0, 4)));
    return this.rnd.pick([`${y}`, `${y}-Q${this.rnd.range(1, 4)}`, `${y}-H${this.rnd.range(1, 2)}`, `${y}-9M`,
      `${y}-${String(this.rnd.range(1, 12)).padStart(2, '0')}`, `${this.date('2023-01-01', today())}..${today()}`]);
  }

  taskStats() {
    const who = this.reader();
    const q = new URLSearchParams({ period: this.period() });
    if (this.rnd.chance(0.3)) q.set('as_of', this.date('2023-01-01', addDays(today(), 30)));
    if (this.rnd.chance(0.4)) q.set('unit', String(this.rnd.pick([...this.units.values()]).id));
    if (this.rnd.chance(0.2)) q.set('assigning_body', this.rnd.some(BODIES, 3).join(',') || 'chairman');
    return { label: 'tasks.stats', as: who.username, method: 'GET', path: `/api/v1/tasks/stats?${q}`, timed: true };
  }

  taskReminders() {
    const who = this.rnd.pick(this.signedIn(() => true));
    const q = new URLSearchParams();
    if (this.rnd.chance(0.6)) q.set('date', this.date('2023-01-01', addDays(today(), 30)));
    if (this.rnd.chance(0.6)) q.set('within', String(this.rnd.range(0, 30)));
    if (this.rnd.chance(0.4)) q.set('unit', String(this.rnd.pick([...this.units.values()]).id));
    return { label: 'tasks.reminders', as: who.username, method: 'GET', path: `/api/v1/tasks/reminders?${q}`, timed: true };
  }

  documentList() {
    const who = this.rnd.pick(this.signedIn(() => true));
    const q = new URLSearchParams();
    if (this.rnd.chance(0.5)) q.set('q', this.rnd.pick(['ke hoach', 'KH-UBND', 'chuyển đổi', 'nghi quyet', this.rnd.pick(WORDS)]));
    q.set('limit', String(this.rnd.range(1, 30)));
    return this.pages('documents.list', who.username, `/api/v1/documents?${q}`);
  }

  // ---- one-stop dossiers ----

  // a desk and a procedure it takes in: the provincial center its own, a
  // commune or ward the commune's; a clerk is made where a desk has none
  desk() {
    const day = today();
    const choice = this.rnd.weighted([[4, 'province'], [3, 'commune'], [0.3, 'district']]);
    if (choice === 'province') return { unit: this.unitByCode('S20'), level: 'province' };
    if (choice === 'district') return { unit: this.unitByCode('439'), level: this.rnd.pick(['district', 'commune']) };
    const communes = this.unitsOn(day, ['commune', 'ward']);
    const staffed = communes.filter((u) => this.signedIn((p) => p.unit_id === u.id && p.can('clerk')).length);
    const unit = staffed.length && this.rnd.chance(0.8) ? this.rnd.pick(staffed) : this.rnd.pick(communes);
    return { unit, level: 'commune' };
  }

  dossierReceive() {
    const { unit, level } = this.desk();
    if (!unit) return null;
    const clerk = this.actorAt(unit.id, ['clerk']);
    if (!clerk) return null;
    const procedure = this.rnd.pick(this.procedures.filter((p) => p.level === level));
    const body = { procedure_code: procedure.code, applicant_name: this.person(), applicant_phone: this.phone() };
    if (this.rnd.chance(0.5)) body.applicant_address = `${this.rnd.pick(['Phường', 'Xã'])} ${this.name()}, Hà Tĩnh`;
    if (this.rnd.chance(0.4)) body.channel = this.rnd.pick(['desk', 'online', 'post']);
    const outcome = this.rnd.weighted([[10, null], [1, 'guide'], [0.6, 'refuse']]);
    if (outcome) { body.outcome = outcome; body.reason = `Thiếu ${this.rnd.pick(['bản sao', 'đơn', 'giấy tờ'])} ${this.name()}`; }
    return {
      label: outcome ? `dossiers.${outcome}` : 'dossiers.receive', as: clerk.username, method: 'POST', path: '/api/v1/dossiers', body, timed: true,
      then: (j, answers) => this.learnDossier({ ...j }, answers.map((a) => a.json.secret ?? null)),
    };
  }

  procedureRead() {
    const who = this.reader((p) => ['admin', 'leader', 'secretariat', 'clerk', 'officer'].some((r) => p.can(r)));
    if (this.rnd.chance(0.4)) return { label: 'procedures.detail', as: who.username, method: 'GET', path: `/api/v1/procedures/${this.rnd.pick(this.procedures).id}` };
    const q = new URLSearchParams();
    if (this.rnd.chance(0.5)) q.set('q', this.rnd.pick(['dang ky', 'chứng thực', 'ho kinh doanh', 'giay phep', 'khai sinh']));
    if (this.rnd.chance(0.4)) q.set('field', this.rnd.pick(['civil_status', 'certification', 'land', 'business', 'health', 'other']));
    if (this.rnd.chance(0.4)) q.set('level', this.rnd.pick(['province', 'district', 'commune']));
    if (this.rnd.chance(0.3)) q.set('date', this.date('2023-01-01', addDays(today(), 30)));
    q.set('limit', String(this.rnd.range(1, 40)));
    return this.pages('procedures.list', who.username, `/api/v1/procedures?${q}`);
  }

  openDossiers() { return [...this.dossiers.values()].filter((d) => MOVES[d.state]); }

  dossierMove() {
    const d = this.rnd.pick(this.openDossiers());
    if (!d) return null;
    const action = this.rnd.weighted(MOVES[d.state]);
    const atDesk = AT_DESK.has(action) || !d.step || d.step.unit_id === d.desk;
    const actor = atDesk ? this.actorAt(d.desk, ['clerk']) : this.actorAt(d.step.unit_id, ['officer', 'leader', 'clerk']);
    if (!actor) return null;
    const body = { action, version: d.version };
    if (REASONED.has(action)) body.reason = `Lý do ${this.name()}`;
    if (action === 'apologise') body.appointment = `${addDays(d.due_local.slice(0, 10), this.rnd.range(1, 20))} ${this.rnd.pick(['08:00', '10:30', '16:00'])}`;
    return {
      label: `dossiers.${action}`, as: actor.username, method: 'POST', path: `/api/v1/dossiers/${d.code}/actions`, body, timed: true,
      then: (j) => this.learnDossier(j),
    };
  }

  dossierRefused() {
    const d = this.rnd.pick([...this.dossiers.values()]);
    if (!d) return null;
    const stranger = this.rnd.pick(this.signedIn((p) => p.can('clerk') && p.unit_id !== d.desk && p.unit_id !== d.step?.unit_id));
    const holder = this.actorAt(d.desk, ['clerk']);
    if (!holder) return null;
    const [as, body] = this.rnd.pick([
      [holder.username, { action: 'hand_over', version: d.version + 1 }],
      [holder.username, { action: 'ask', version: d.version }], // without its reason
      [holder.username, { action: 'fly', version: d.version }],
      [holder.username, { action: 'return', version: 0 }],
      [holder.username, { action: 'apologise', version: d.version, reason: 'Xin lỗi', appointment: '2020-01-01 08:00' }],
      [stranger?.username || 'officer.stnmt', { action: 'hand_over', version: d.version }],
      ['secretariat', { action: 'notify', version: d.version }],
    ]);
    return { label: 'dossiers.refused', as, method: 'POST', path: `/api/v1/dossiers/${d.code}/actions`, body, refused: true, timed: true };
  }

  dossierRead() {
    const d = this.rnd.pick([...this.dossiers.values()]);
    if (!d) return null;
    const desk = this.signedIn((p) => p.unit_id === d.desk && p.can('clerk'));
    const who = desk.length && this.rnd.chance(0.4) ? this.rnd.pick(desk)
      : this.reader((p) => ['admin', 'leader', 'secretariat', 'clerk', 'officer', 'inspector'].some((r) => p.can(r)));
    return { label: 'dossiers.detail', as: who.username, method: 'GET', path: `/api/v1/dossiers/${d.code}`, timed: true, then: (j) => { if (j.version >= (this.dossiers.get(j.code)?.version || 0)) this.learnDossier(j); } };
  }

  publicLookup() {
    const d = this.rnd.pick([...this.dossiers.values()]);
    if (!d) return null;
    const how = this.rnd.weighted([[3, 'secret'], [3, 'phone'], [this.misses < 30 ? 1 : 0, 'miss']]);
    if (how === 'miss') this.misses++;
    if (how === 'secret' && !d.secrets?.[0]) return null;
    const path = (side) => {
      if (how === 'secret') return `/api/v1/public/dossiers/${d.code}?secret=${encodeURIComponent(d.secrets[side])}`;
      if (how === 'phone') return `/api/v1/public/dossiers/${d.code}?phone=${encodeURIComponent(d.phone)}`;
      return `/api/v1/public/dossiers/${d.code}?phone=0900000000`;
    };
    return { label: `public.${how}`, clients: this.anon, method: 'GET', path, timed: true };
  }

  worklist() {
    const who = this.rnd.pick(this.signedIn((p) => ['clerk', 'officer', 'leader'].some((r) => p.can(r))));
    return { label: 'dossiers.worklist', as: who.username, method: 'GET', path: '/api/v1/dossiers/worklist', timed: true };
  }

  dossierList() {
    const who = this.rnd.pick(this.signedIn((p) => ['admin', 'leader', 'secretariat', 'clerk', 'officer'].some((r) => p.can(r))));
    const q = new URLSearchParams();
    const period = `${today().slice(0, 4)}`;
    const by = this.rnd.pick(['received', 'result', 'ended', 'taken', 'asked', 'apologised', null]);
    if (by) q.set(by, this.rnd.chance(0.7) ? period : `${today()}..${today()}`);
    if (this.rnd.chance(0.3)) q.set('state', this.rnd.some(['processing', 'supplement', 'ready', 'notified', 'returned', 'refused', 'withdrawn', 'stopped', 'incomplete'], 3).join(',') || 'processing');
    if (this.rnd.chance(0.2)) q.set('timeliness', this.rnd.pick(['early', 'on_time', 'late', 'early,on_time']));
    if (this.rnd.chance(0.2)) q.set('level', this.rnd.pick(['province', 'district', 'commune']));
    if (this.rnd.chance(0.2)) q.set('overdue', String(this.rnd.int(2)));
    if (this.rnd.chance(0.2)) q.set('unit', String(this.rnd.pick([this.root(), this.unitByCode('S20'), ...this.unitsOn(today(), ['ward', 'commune'])]).id));
    q.set('limit', String(this.rnd.range(1, 50)));
    return this.pages('dossiers.list', who.username, `/api/v1/dossiers?${q}`);
  }

  serviceFigures() {
    const who = this.rnd.pick(this.signedIn((p) => ['admin', 'leader', 'secretariat', 'clerk', 'officer'].some((r) => p.can(r))));
    const q = new URLSearchParams({ period: this.rnd.pick([today().slice(0, 4), `${today()}..${today()}`, today().slice(0, 7), this.period()]) });
    if (this.rnd.chance(0.4)) q.set('by', this.rnd.pick(['field', 'level', 'unit']));
    if (this.rnd.chance(0.3)) q.set('unit', String(this.rnd.pick([this.root(), this.unitByCode('S20'), ...this.unitsOn(today(), ['ward', 'commune', 'department'])]).id));
    return { label: 'dossiers.stats', as: who.username, method: 'GET', path: `/api/v1/dossiers/stats?${q}`, timed: true };
  }

  // ---- the working calendar ----

  calendarRecord() {
    const year = this.rnd.range(Number(today().slice(0, 4)) + 1, Number(today().slice(0, 4)) + 3);
    const known = this.calendars.get(year);
    if (!known) return this.calendarReadOp(year);
    const days = known.days.map(({ date, kind, name, source }) => ({ date, kind, name, source }));
    const taken = new Set(days.map((d) => d.date));
    const change = this.rnd.int(4);
    const some = this.date(`${year}-01-01`, `${year}-12-31`);
    if (change === 0 && weekday(some) >= 1 && weekday(some) <= 5 && !taken.has(some))
      days.push({ date: some, kind: 'swap_off', name: 'Nghỉ hoán đổi', source: `Thông báo ${this.uniq()}` });
    else if (change === 1 && weekday(some) === 6 && !taken.has(some))
      days.push({ date: some, kind: 'makeup', name: 'Làm bù', source: `Thông báo ${this.uniq()}` });
    else if (change === 2 && days.length) days.splice(this.rnd.int(days.length), 1);
    else if (change === 3) days.push({ date: some, kind: 'holiday', name: 'Ngày nghỉ', source: 'Thử' });
    days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return {
      label: 'calendar.record', as: 'admin', method: 'PUT', path: `/api/v1/calendar/${year}`, body: { source: `Công văn ${this.uniq()}/VPCP-KGVX`, days }, timed: true,
      then: (j) => this.calendars.set(year, j),
    };
  }

  calendarHours() {
    const from = this.date(`${Number(today().slice(0, 4)) + 1}-01-01`, `${Number(today().slice(0, 4)) + 3}-12-31`);
    const periods = this.rnd.pick(['07:00-11:30,13:30-17:00', '07:30-11:30,13:00-16:30', '08:00-12:00,13:00-17:00', '13:00-16:30,07:30-11:30']);
    return { label: 'calendar.hours', as: 'admin', method: 'POST', path: '/api/v1/calendar/hours', body: { from, periods }, timed: true };
  }

  calendarReadOp(year) {
    return { label: 'calendar.read', clients: this.anon, method: 'GET', path: `/api/v1/calendar/${year}`, then: (j) => this.calendars.set(year, j) };
  }

  calendarRead() { return this.calendarReadOp(this.rnd.range(2023, Number(today().slice(0, 4)) + 3)); }

  dueTime() {
    const from = `${this.date('2023-01-01', addDays(today(), 700))} ${String(this.rnd.range(6, 18)).padStart(2, '0')}:${this.rnd.pick(['00', '15', '30', '45'])}`;
    const q = new URLSearchParams({ from });
    if (this.rnd.chance(0.5)) q.set('days', this.rnd.pick(['1', '3', '5', '0.5', '17', '0.25']));
    else q.set('hours', this.rnd.pick(['1', '4', '8', '0.5', '24']));
    if (this.rnd.chance(0.2)) q.set('cutoff', this.rnd.pick(['15:00', '16:30']));
    return { label: 'calendar.due', clients: this.anon, method: 'GET', path: `/api/v1/calendar/due?${q}` };
  }

  // ---- tokens and the audit trail ----

  tokenCreate() {
    if (this.bearer && this.rnd.chance(0.8)) return null;
    const p = this.people.get('secretariat');
    return {
      label: 'tokens.create', as: 'admin', method: 'POST', path: '/api/v1/tokens', body: { user_id: p.id, label: `Cổng ${this.name()}`, expires_in_days: this.rnd.range(1, 90) },
      then: (j, answers) => {
        this.bearer = this.bases.map((b, s) => { const c = new Client(b); c.bearer = answers[s].json.token; return c; });
      },
    };
  }

  bearerRead() {
    if (!this.bearer) return null;
    if (this.rnd.chance(0.3)) return { ...this.documentCreate(), label: 'tokens.write', as: null, clients: this.bearer };
    return { ...this.taskStats(), label: 'tokens.read', as: null, clients: this.bearer };
  }

  auditRead() {
    const who = this.rnd.pick(['admin', 'secretariat']);
    if (this.rnd.chance(0.6)) {
      const [entity, id] = this.rnd.pick([
        ['unit', this.rnd.pick([...this.units.values()]).id],
        ['task', this.someTask().id],
        ['user', this.rnd.pick([...this.people.values()].filter((p) => p.id))?.id || 1],
        ['document', this.rnd.pick(this.documents).id],
        ['dossier', this.rnd.pick([...this.dossiers.values()])?.code || 'x'],
        ['calendar', this.rnd.range(2026, 2030)],
      ]);
      return { label: 'audit.entity', as: who, method: 'GET', path: `/api/v1/audit?entity=${entity}&entity_id=${encodeURIComponent(id)}` };
    }
    return this.pages('audit.list', who, `/api/v1/audit?limit=${this.rnd.range(1, 200)}`, 1);
  }

  // ---- what every module refuses ----

  forbidden() {
    const root = this.root();
    const year = Number(today().slice(0, 4)) + 1;
    const [as, method, path, body] = this.rnd.pick([
      ['secretariat', 'POST', '/api/v1/units', { code: `F${this.uniq()}`, name: 'Sở không quyền', kind: 'department', parent_id: root.id, valid_from: today() }],
      ['focal.stp', 'POST', '/api/v1/documents', { number: `F${this.uniq()}/KH`, issuer: 'X', issued_on: '2023-01-01', title: 'Không quyền', assigning_body: 'government' }],
      ['clerk.hcc', 'PUT', `/api/v1/calendar/${year}`, { source: 'Không quyền', days: [] }],
      ['officer.stnmt', 'POST', '/api/v1/users', { username: `forbidden.h${this.uniq()}`, full_name: 'Không quyền', unit_id: root.id, roles: ['admin'], password: this.password() }],
      ['inspector', 'POST', '/api/v1/tasks', { document_id: this.rnd.pick(this.documents).id, title: 'Không quyền', lead_unit_id: this.unitByCode('S03').id, field: 'apparatus' }],
      ['focal.sonkim1', 'POST', '/api/v1/tokens', { user_id: this.people.get('admin').id, label: 'Không quyền' }],
      ['focal.tranphu', 'GET', '/api/v1/audit?limit=5', undefined],
    ]);
    return { label: 'forbidden', as, method, path, body, refused: true };
  }

  conflict() {
    const root = this.root();
    const unit = this.rnd.pick([...this.units.values()]);
    const person = this.rnd.pick([...this.people.values()].filter((p) => p.id));
    const doc = this.rnd.pick(this.documents);
    const [as, path, body] = this.rnd.pick([
      ['admin', '/api/v1/units', { code: unit.code, name: 'Trùng mã', kind: 'department', parent_id: root.id, valid_from: today() }],
      ['admin', '/api/v1/users', { username: person.username, full_name: 'Trùng tên', unit_id: root.id, roles: ['focal'], password: this.password() }],
      ['secretariat', '/api/v1/documents', { number: doc.number, issuer: 'Trùng số', issued_on: doc.issued_on, title: 'Trùng số', assigning_body: 'chairman' }],
    ]);
    return { label: 'conflict', as, method: 'POST', path, body, refused: true };
  }

  malformed() {
    const [as, method, path, body] = this.rnd.pick([
      ['admin', 'POST', '/api/v1/units', { code: `M${this.uniq()}`, name: 'Thừa trường', kind: 'department', parent_id: this.root().id, valid_from: today(), colour: 'red' }],
      ['secretariat', 'POST', '/api/v1/tasks', { document_id: this.rnd.pick(this.documents).id, title: 42, lead_unit_id: this.unitByCode('S03').id, field: 'apparatus' }],
      ['clerk.hcc', 'POST', '/api/v1/dossiers', { procedure_code: 7, applicant_name: 'A', applicant_phone: '0912345678' }],
      ['admin', 'PATCH', `/api/v1/users/${this.rnd.pick([...this.people.values()].filter((p) => p.id)).id}`, { disabled: 'yes' }],
      ['secretariat', 'GET', `/api/v1/tasks?status=late&limit=5`, undefined],
      ['secretariat', 'GET', `/api/v1/dossiers/stats?period=${today().slice(0, 4)}&by=colour`, undefined],
      [null, 'GET', '/api/v1/calendar/due?from=tomorrow&days=1', undefined],
    ]);
    return { label: 'malformed', as, method, path, body, refused: true, timed: true };
  }
}

/**
 * Plays the history of 'seed' for 'steps' operations on the two servers at
 * 'bases' (named 'names' in a report) and compares every answer, then the
 * final reads; resolves the run's figures, rejects with a HistoryMismatch on
 * the first difference.
 */
export async function replay({ bases, names, seed, steps, log }) {
  const h = new History({ bases, names, seed, log });
  await h.setup();
  const summary = await h.run(steps);
  await h.finalReads();
  return { ...summary, finalReads: (h.counts['final.figures'] || 0) + (h.counts['final.list'] || 0) };
}
