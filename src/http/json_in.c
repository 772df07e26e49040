/*
 * Reading requests: the JSON body with its limits (nesting depth, known
 * fields only, types) and its members, and query parameters. It owns the
 * rule that an absent or null member and a value are never confused: "" is
 * not an absent string nor 0 an absent id, and an integer too big for
 * jansson is named by its member like any other value out of range.
 */
#include "http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deepest nesting of arrays and objects in 'text', counting outside strings. */
static int depth_of(const char *text, size_t len)
{
    int depth = 0, deepest = 0, in_str = 0;

    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > deepest)
                deepest = depth;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return deepest;
}

/* RF_EINVAL for a body jansson could not read, with where it stopped. */
static int malformed(const json_error_t *jerr, struct rf_error *err)
{
    return rf_error_set(err, RF_EINVAL, NULL, "json", "malformed JSON at line %d column %d: %s",
                        jerr->line, jerr->column, jerr->text);
}

/* RF_EINVAL unless 'root' is an object whose keys are all in 'allowed'; names each other key. */
static int check_members(json_t *root, const char *const *allowed, struct rf_error *err)
{
    const char *key;
    json_t *value;
    int unknown = 0;

    if (!json_is_object(root))
        return rf_error_set(err, RF_EINVAL, NULL, "json", "the body must be a JSON object");
    json_object_foreach(root, key, value)
    {
        int known = 0;
        for (const char *const *a = allowed; *a && !known; a++)
            known = strcmp(*a, key) == 0;
        if (!known) {
            rf_error_set(err, RF_EINVAL, key, "unknown_field", "unknown field '%s'", key);
            unknown = 1;
        }
    }
    return unknown ? RF_EINVAL : RF_OK;
}

/* Whether 'v' is a number that a 64-bit integer cannot hold (read as a double). */
static int beyond_int64(const json_t *v)
{
    double d = json_is_real(v) ? json_real_value(v) : 0;

    /* -2^63 - 1 rounds to -2^63 as a double, so the lower bound is taken as outside */
    return d >= 9223372036854775808.0 || d <= -9223372036854775808.0;
}

/*
 * Find the first number beyond int64 in 'v' and write its name after the
 * 'path' so far, the way handlers name fields: "user_id",
 * "tasks[2].lead_unit_id"; a number inside an array of numbers is named by
 * the array ("coordinating_units"), as the array's other errors are. Returns 1
 * when found; 'path' is left as it was when not.
 */
static int find_beyond_int64(json_t *v, char *path, size_t size)
{
    size_t len = strlen(path), i;
    const char *key;
    json_t *item;

    if (json_is_object(v)) {
        json_object_foreach(v, key, item)
        {
            snprintf(path + len, size - len, "%s%s", len ? "." : "", key);
            if (beyond_int64(item) || find_beyond_int64(item, path, size))
                return 1;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (beyond_int64(item)) {
                path[len] = '\0';
                return 1;
            }
            snprintf(path + len, size - len, "[%zu]", i);
            if (find_beyond_int64(item, path, size))
                return 1;
        }
    }
    path[len] = '\0';
    return 0;
}

/*
 * A body holding an integer beyond int64. jansson stops at it with only a
 * line and column, so the body is read once more with every integer as a
 * double, only to name the member that holds it: a value out of range, like
 * an id of 0, and not malformed JSON. An unknown member is still named first.
 */
static int too_big(const char *text, size_t len, const char *const *allowed, struct rf_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &jerr);
    char path[sizeof(err->item[0].field)] = ""; /* as long as a field's name is kept */
    int rc;

    if (!root)
        return malformed(&jerr, err);
    rc = check_members(root, allowed, err);
    if (rc == RF_OK && find_beyond_int64(root, path, sizeof(path)))
        rc = rf_error_set(err, RF_EINVAL, path, "range", "'%s' is too big a number", path);
    else if (rc == RF_OK)
        rc = rf_error_set(err, RF_EINVAL, NULL, "range", "a number is too big");
    json_decref(root);
    return rc;
}

int rf_json_body(struct rf_req *r, const char *const *allowed, json_t **out, struct rf_error *err)
{
    const char *type = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    const char *text = rf_buf_str(&r->body);
    json_error_t jerr;
    json_t *root;

    *out = NULL;
    if (!type || strncmp(type, "application/json", 16) != 0 ||
        (type[16] && type[16] != ';' && type[16] != ' '))
        return rf_error_set(err, RF_EMEDIA, "Content-Type", "media_type",
                            "the body must be application/json");
    if (depth_of(text, r->body.len) > RF_JSON_MAX_DEPTH)
        return rf_error_set(err, RF_EINVAL, NULL, "too_deep", "the JSON nests deeper than %d",
                            RF_JSON_MAX_DEPTH);
    root = json_loadb(text, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root && json_error_code(&jerr) == json_error_numeric_overflow)
        return too_big(text, r->body.len, allowed, err);
    if (!root)
        return malformed(&jerr, err);
    /* the request's from here on, whatever the members hold: rf_req_cleanup() frees it */
    json_decref(r->json);
    r->json = root;
    if (check_members(root, allowed, err) != RF_OK)
        return RF_EINVAL;
    *out = root;
    return RF_OK;
}

int rf_json_malformed(const struct rf_error *err)
{
    /* the rules of the JSON's form; every other rule is about a value */
    static const char *const form[] = {"json", "too_deep", "unknown_field", "type", NULL};

    for (int i = 0; err && i < err->n; i++)
        for (const char *const *f = form; *f; f++)
            if (strcmp(err->item[i].code, *f) == 0)
                return 1;
    return 0;
}

void rf_json_prefix(struct rf_error *err, int from, const char *prefix)
{
    for (int i = from; err && i < err->n; i++) {
        struct rf_error_item *it = &err->item[i];
        char field[sizeof(it->field)];

        snprintf(field, sizeof(field), "%s%s", prefix, it->field);
        memcpy(it->field, field, sizeof(field));
    }
}

const char *rf_json_str(json_t *obj, const char *key, struct rf_error *err)
{
    json_t *v = json_object_get(obj, key);

    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        rf_error_set(err, RF_EINVAL, key, "type", "'%s' must be a string", key);
        return NULL;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        rf_error_set(err, RF_EINVAL, key, "text", "'%s' must not contain NUL", key);
        return NULL;
    }
    return json_string_value(v);
}

const char *rf_json_str_opt(json_t *obj, const char *key, struct rf_error *err)
{
    const char *text = rf_json_str(obj, key, err);

    /* the use cases read "" as left out, which here has a meaning of its own */
    if (text && !*text) {
        rf_error_set(err, RF_EINVAL, key, "empty",
                     "'%s' is empty: give a value, or leave it out or null for none", key);
        return NULL;
    }
    return text;
}

int rf_json_int(json_t *obj, const char *key, int64_t min, int64_t max, int64_t dflt, int64_t *out,
                struct rf_error *err)
{
    json_t *v = json_object_get(obj, key);
    json_int_t n;

    *out = dflt;
    if (!v || json_is_null(v))
        return RF_OK;
    if (!json_is_integer(v))
        return rf_error_set(err, RF_EINVAL, key, "type", "'%s' must be an integer", key);
    n = json_integer_value(v);
    if (n < min || n > max) {
        if (max == INT64_MAX)
            return rf_error_set(err, RF_EINVAL, key, "range",
                                "'%s' must be a whole number from %lld", key, (long long)min);
        return rf_error_set(err, RF_EINVAL, key, "range",
                            "'%s' must be a whole number from %lld to %lld", key, (long long)min,
                            (long long)max);
    }
    *out = (int64_t)n;
    return RF_OK;
}

int rf_json_id(json_t *obj, const char *key, int64_t *out, struct rf_error *err)
{
    return rf_json_int(obj, key, 1, INT64_MAX, 0, out, err);
}

int rf_json_bool(json_t *obj, const char *key, struct rf_error *err)
{
    json_t *v = json_object_get(obj, key);

    if (!v || json_is_null(v))
        return -1;
    if (!json_is_boolean(v)) {
        rf_error_set(err, RF_EINVAL, key, "type", "'%s' must be true or false", key);
        return -1;
    }
    return json_is_true(v);
}

const char *rf_json_str_list(struct rf_req *r, json_t *obj, const char *key, struct rf_error *err)
{
    json_t *v = json_object_get(obj, key), *item;
    struct rf_buf b = RF_BUF_INIT;
    const char *joined;
    size_t i;

    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_array(v)) {
        rf_error_set(err, RF_EINVAL, key, "type", "'%s' must be an array of strings", key);
        return NULL;
    }
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item) || strchr(json_string_value(item), '|') ||
            strchr(json_string_value(item), ',')) {
            rf_buf_cleanup(&b);
            rf_error_set(err, RF_EINVAL, key, "type", "'%s' must be an array of names", key);
            return NULL;
        }
        if (i)
            rf_buf_addc(&b, '|');
        rf_buf_adds(&b, json_string_value(item));
    }
    joined = rf_arena_strdup(&r->arena, rf_buf_str(&b));
    rf_buf_cleanup(&b);
    return joined;
}

/* RF_EINVAL naming each member of 'item' not in 'fields'. */
static void unknown_members(json_t *item, const char *const *fields, struct rf_error *err)
{
    const char *key;
    json_t *value;

    json_object_foreach(item, key, value)
    {
        int known = 0;
        for (const char *const *f = fields; *f && !known; f++)
            known = strcmp(*f, key) == 0;
        if (!known)
            rf_error_set(err, RF_EINVAL, key, "unknown_field", "unknown field '%s'", key);
    }
}

int rf_json_objects(struct rf_req *r, json_t *obj, const struct rf_json_objects *spec, void **out,
                    size_t *n, struct rf_error *err)
{
    json_t *list = json_object_get(obj, spec->key), *item;
    size_t i, count;
    char *items;
    int from = err->n;

    *out = NULL;
    *n = 0;
    if (!json_is_array(list) || json_array_size(list) > spec->max)
        return rf_error_set(err, RF_EINVAL, spec->key, "type", "'%s' is an array of at most %zu %s",
                            spec->key, spec->max, spec->key);
    count = json_array_size(list);
    items = rf_arena_alloc(&r->arena, spec->size * (count ? count : 1));
    memset(items, 0, spec->size * (count ? count : 1));
    json_array_foreach(list, i, item)
    {
        char prefix[sizeof(err->item[0].field)];
        if (!json_is_object(item)) {
            snprintf(prefix, sizeof(prefix), "%s[%zu]", spec->key, i);
            rf_error_set(err, RF_EINVAL, prefix, "type", "each %s is an object", spec->item);
            break;
        }
        unknown_members(item, spec->fields, err);
        spec->read(item, items + i * spec->size, err);
        snprintf(prefix, sizeof(prefix), "%s[%zu].", spec->key, i);
        rf_json_prefix(err, from, prefix);
        if (err->n > from) /* the first item at fault is the one named */
            break;
    }
    if (err->n > from)
        return RF_EINVAL;
    *out = items;
    *n = count;
    return RF_OK;
}

const char *rf_query(struct rf_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int rf_query_int(struct rf_req *r, const char *name, int64_t min, int64_t max, int64_t dflt,
                 int64_t *out, struct rf_error *err)
{
    const char *v = rf_query(r, name);
    char *end;
    long long n;

    if (!v || !*v) {
        *out = dflt;
        return RF_OK;
    }
    errno = 0;
    n = strtoll(v, &end, 10);
    if (errno || *end || n < min || n > max)
        return rf_error_set(err, RF_EINVAL, name, "range",
                            "'%s' must be a whole number from %lld to %lld", name, (long long)min,
                            (long long)max);
    *out = n;
    return RF_OK;
}
