/*
 * Reading requests: the JSON body with its limits (nesting depth, known
 * fields only, types), and query parameters.
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

int rf_json_body(struct rf_req *r, const char *const *allowed, json_t **out, struct rf_error *err)
{
    const char *type = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    json_error_t jerr;
    const char *key;
    json_t *root, *value;

    *out = NULL;
    if (!type || strncmp(type, "application/json", 16) != 0 ||
        (type[16] && type[16] != ';' && type[16] != ' '))
        return rf_error_set(err, RF_EMEDIA, "Content-Type", "media_type",
                            "the body must be application/json");
    if (depth_of(rf_buf_str(&r->body), r->body.len) > RF_JSON_MAX_DEPTH)
        return rf_error_set(err, RF_EINVAL, NULL, "too_deep", "the JSON nests deeper than %d",
                            RF_JSON_MAX_DEPTH);
    root = json_loadb(rf_buf_str(&r->body), r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return rf_error_set(err, RF_EINVAL, NULL, "json", "malformed JSON at line %d column %d: %s",
                            jerr.line, jerr.column, jerr.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return rf_error_set(err, RF_EINVAL, NULL, "json", "the body must be a JSON object");
    }
    json_object_foreach(root, key, value)
    {
        int known = 0;
        for (const char *const *a = allowed; *a && !known; a++)
            known = strcmp(*a, key) == 0;
        if (!known)
            rf_error_set(err, RF_EINVAL, key, "unknown_field", "unknown field '%s'", key);
    }
    if (err && err->n) {
        json_decref(root);
        return RF_EINVAL;
    }
    *out = root;
    return RF_OK;
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

int64_t rf_json_int(json_t *obj, const char *key, struct rf_error *err)
{
    json_t *v = json_object_get(obj, key);

    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v)) {
        rf_error_set(err, RF_EINVAL, key, "type", "'%s' must be an integer", key);
        return 0;
    }
    return (int64_t)json_integer_value(v);
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
