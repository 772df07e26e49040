#!/usr/bin/env bash
# checksrc: the rules of STYLE.md that a machine can hold, in the spirit of
# curl's checksrc. Prints each finding as "file:line: rule: what" and exits 1
# when there is one; `make lint` and scripts/test.sh run it.
#   scripts/checksrc.sh            check the tree
#
# The rules:
#   banned      sprintf, strcpy, strcat, strtok, atoi and gets are not called
#               (STYLE's list; bounded buffers only), in src/, tests/, fuzz/ and
#               bench/. Comments and strings are not code.
#   include     a file of src/LAYER includes with "..." only its own folder's
#               headers and those LAYERS (below) allows it: the arrows point
#               down, common <- core <- store <- app <- http <- cli, and above
#               core a layer sees the one under it only through its public
#               header (store.h, app.h, http.h): http and cli never include
#               store.h, they ask the use cases of app.h.
#   library     the database libraries' headers (sqlite3.h, libpq-fe.h) are
#               included only in src/store, libmicrohttpd's only in src/http.
#   internal    a header named *_int.h is included only by files of its own
#               folder, in src/, tests/, fuzz/ and bench/.
#   store-call  the store (rf_store_*, and the pool's rf_app_store_get and
#               rf_app_store_put) is called only in src/store and src/app:
#               http and cli ask the use cases of app.h.
#   contract    every function declared in a header of src/ (static ones
#               apart) has a contract comment directly above it (typedefs and
#               macros may stand between). One comment may cover a group, such
#               as one entity's insert, update, get and list, when the group is
#               written as one: the comment, then declarations only, up to a
#               blank line. A declaration below another's comment in a run
#               that holds more comments is not covered, nor one after a
#               struct or enum body, and a section banner, /* ---- name ---- */,
#               is no contract.
#
# Lasting exceptions are in EXCEPTIONS below, each with its reason. Findings
# being fixed elsewhere may be listed in scripts/checksrc.allow, one a line as
# "FILE RULE SUBJECT" (the subject is the function, header or call named in
# the finding); a listed finding that no longer occurs is reported as a note.
set -euo pipefail
cd "$(dirname "$0")/.."

# What each layer may include besides its own folder: a folder ("../core/")
# or one header ("../app/app.h").
LAYERS='
common:
core:  ../common/
store: ../common/ ../core/
app:   ../common/ ../core/ ../store/store.h
http:  ../common/ ../core/ ../app/app.h
cli:   ../common/ ../core/ ../app/app.h ../http/http.h
'

# Headers of a library that belong to one layer.
LIBRARIES='
sqlite3.h:   store
libpq-fe.h:  store
microhttpd.h: http
'

# RULE|FILE|SUBJECT (* for any)|reason
EXCEPTIONS='
store-call|src/cli/cmd_migrate.c|*|reform migrate is a store operation: it applies the schema migrations and prints the schema version, and needs nothing else (opening the application would also load the province and check or make the audit key)
store-call|src/cli/cmd_backup.c|*|reform backup and reform restore are store operations: an online copy of the database (the SQLite backup interface, or pg_dump) and its restore into an empty database, with no rule, role or audit record of the province involved
internal|tests/store/test_store.c|../../src/app/app_int.h|the store suite holds the writer (app/writer.c) to undoing a failed change alone within its batch, with changes of its own that fail on purpose: rf_app_write, which runs them, is declared only in app_int.h
internal|fuzz/rig.h|http/server_int.h|the fuzz rig stands in for the server around the real handlers: it builds the struct rf_server they read and calls rf_route_match and rf_req_cleanup, which only server_int.h declares
'

LAYERS="$LAYERS" LIBRARIES="$LIBRARIES" EXCEPTIONS="$EXCEPTIONS" exec python3 - <<'PY'
import os
import re
import sys

BANNED = ["sprintf", "strcpy", "strcat", "strtok", "atoi", "gets"]
ALLOW_FILE = "scripts/checksrc.allow"


def table(text):
    rows = {}
    for line in text.strip().splitlines():
        name, _, rest = line.partition(":")
        rows[name.strip()] = rest.split()
    return rows


LAYERS = table(os.environ["LAYERS"])
LIBRARIES = {k: v[0] for k, v in table(os.environ["LIBRARIES"]).items()}
EXCEPTIONS = [line.split("|", 3) for line in os.environ["EXCEPTIONS"].strip().splitlines()]


def sources(*roots):
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in ("corpus", "node_modules"))
            found += [os.path.join(folder, f) for f in sorted(files) if f.endswith((".c", ".h"))]
    return found


def code_of(text):
    """The text with comments blanked and string and character literals emptied, lines kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (min(j, n) - i - 1) + (c if j < n else ""))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


findings = []  # (file, line, rule, subject, message)


def find(path, line, rule, subject, message):
    findings.append((path, line, rule, subject, message))


def includes(path, text):
    for number, line in enumerate(text.splitlines(), 1):
        m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
        if m:
            yield number, m.group(1) == "<", m.group(2)


files = {path: open(path, encoding="utf-8").read() for path in sources("src", "tests", "fuzz", "bench")}
layer_files = {p: t for p, t in files.items() if re.match(r"src/[a-z]+/[^/]+$", p)}

# banned
for path, text in files.items():
    code = code_of(text)
    for number, line in enumerate(code.splitlines(), 1):
        for m in re.finditer(r"\b(%s)\s*\(" % "|".join(BANNED), line):
            find(path, number, "banned", m.group(1), "%s() is banned: use a bounded one" % m.group(1))

# include and library
for path, text in layer_files.items():
    layer = path.split("/")[1]
    if layer not in LAYERS:
        find(path, 1, "include", layer, "src/%s is no layer of the table in checksrc.sh" % layer)
        continue
    for number, system, header in includes(path, text):
        if system:
            owner = LIBRARIES.get(header)
            if owner and owner != layer:
                find(path, number, "library", header,
                     "<%s> belongs to src/%s, not src/%s" % (header, owner, layer))
            continue
        if "/" not in header:
            continue
        if not any(header == a or (a.endswith("/") and header.startswith(a)) for a in LAYERS[layer]):
            find(path, number, "include", header,
                 '"%s" points outside what src/%s may include' % (header, layer))

# internal
for path, text in files.items():
    for number, system, header in includes(path, text):
        if system or not re.search(r"_int\.h$", header):
            continue
        here = os.path.dirname(path)
        target = os.path.normpath(os.path.join(here, header))
        if not os.path.exists(target):
            target = os.path.normpath(os.path.join("src", header))
        if os.path.dirname(target) != here:
            find(path, number, "internal", header,
                 '"%s" is internal to %s/' % (header, os.path.dirname(target)))

# store-call
for path, text in layer_files.items():
    if path.split("/")[1] in ("store", "app"):
        continue
    for number, line in enumerate(code_of(text).splitlines(), 1):
        for m in re.finditer(r"\b(rf_store_\w+|rf_app_store_(?:get|put))\s*\(", line):
            find(path, number, "store-call", m.group(1),
                 "%s() calls the store from outside src/store and src/app: ask a use case" %
                 m.group(1))


# contract
def statements(code):
    """Top-level statements of a header: (first line, last line, text), preprocessor lines apart."""
    lines = code.split("\n")
    pre = set()
    k = 0
    while k < len(lines):
        if lines[k].lstrip().startswith("#"):
            while True:
                pre.add(k)
                if not lines[k].rstrip().endswith("\\") or k + 1 >= len(lines):
                    break
                k += 1
        k += 1
    result, depth, start, buf = [], 0, None, []
    for k, line in enumerate(lines):
        if k in pre:
            continue
        for c in line:
            if start is None and not c.isspace():
                start, buf = k, []
            if start is None:
                continue
            buf.append(c)
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                head = "".join(buf).split("{")[0]
                if depth == 0 and "(" in head and not re.match(r"\s*(typedef|struct|union|enum)\b", head):
                    result.append((start, k, "".join(buf)))  # a definition (static inline)
                    start = None
            elif c == ";" and depth == 0:
                result.append((start, k, "".join(buf)))
                start = None
        if start is not None:
            buf.append("\n")
    return result, pre


def function_name(stmt):
    if "{" in stmt or re.match(r"\s*(typedef|static)\b", stmt):
        return None
    m = re.search(r"\b([A-Za-z_]\w*)\s*\(\s*(?!\*)", stmt)
    if not m or m.group(1) in ("__attribute__",):
        return None
    return m.group(1)


for path, text in sorted(layer_files.items()):
    if not path.endswith(".h"):
        continue
    raw = text.split("\n")
    code = code_of(text)
    lines = code.split("\n")
    stmts, pre = statements(code)
    ends = {last: stmt for first, last, stmt in stmts}
    for first, last, stmt in stmts:
        name = function_name(stmt)
        if not name:
            continue
        k, covered, above = first - 1, False, 0
        while k >= 0:
            if not raw[k].strip():
                break
            if k in pre:
                k -= 1
                continue
            if not lines[k].strip():  # a comment's line: is it a contract?
                top = k
                while top > 0 and "/*" not in raw[top] and not raw[top].lstrip().startswith("//"):
                    top -= 1
                comment = " ".join(raw[top:k + 1])
                covered = not re.fullmatch(r"\s*/\*\s*-{2,}.*-{2,}\s*\*/\s*", comment)
                if covered and above:  # in a group: the comment must be the run's only one
                    end = first
                    while end < len(raw) and raw[end].strip():
                        covered = covered and not (raw[end].strip() and not lines[end].strip())
                        end += 1
                break
            if k in ends and "{" not in ends[k]:  # another declaration of the block
                begin, stmt = next((f, s) for f, l, s in stmts if l == k)
                above += 1 if function_name(stmt) else 0
                k = begin - 1
                continue
            break
        if not covered:
            find(path, first + 1, "contract", name,
                 "%s() has no contract comment above it (what it does, return codes, who frees what)"
                 % name)

# exceptions, then the temporary list
reported = []
for f in findings:
    path, line, rule, subject, message = f
    if any(r == rule and p == path and s in ("*", subject) for r, p, s, _ in EXCEPTIONS):
        continue
    reported.append(f)

allowed = []
if os.path.exists(ALLOW_FILE):
    for number, line in enumerate(open(ALLOW_FILE, encoding="utf-8"), 1):
        line = line.split("#", 1)[0].split()
        if line:
            if len(line) != 3:
                print("%s:%d: expected FILE RULE SUBJECT" % (ALLOW_FILE, number))
                sys.exit(1)
            allowed.append(tuple(line))
used, failed, listed = set(), [], 0
for f in reported:
    key = (f[0], f[2], f[3])
    if key in allowed:
        used.add(key)
        listed += 1
    else:
        failed.append(f)

for path, line, rule, subject, message in sorted(failed):
    print("%s:%d: %s: %s" % (path, line, rule, message))
stale = [a for a in allowed if a not in used]
if stale:
    print("checksrc: note: %d line%s of %s no longer needed:" % (
        len(stale), "" if len(stale) == 1 else "s", ALLOW_FILE))
    for a in stale:
        print("  " + " ".join(a))
print("checksrc: %d file%s, %d finding%s%s" % (
    len(files), "" if len(files) == 1 else "s", len(failed), "" if len(failed) == 1 else "s",
    " (%d more listed in %s)" % (listed, ALLOW_FILE) if listed else ""))
sys.exit(1 if failed else 0)
PY
