/*
 * Answers kept ready to send. A read whose answer depends only on the
 * province's data, the caller's scope and the request is kept under a key
 * naming all three, with the version of the data it was built from; it is
 * sent again, from memory, for as long as that version is current. The
 * handlers check the caller's session, role and scope before asking, as for
 * any other answer, and ask with the version they have just read from the
 * database, so another process writing to the same database is seen too.
 *
 * The store is small and plain: a fixed set of slots, least recently used
 * first out, within a budget of bytes.
 */
#include "http.h"
#include "../common/hash.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KEPT_SLOTS 256
#define KEPT_BUDGET ((size_t)64 << 20) /* bytes of answers kept at once */

static struct kept {
    uint64_t hash;
    char *key;
    int64_t version;
    size_t size;
    struct MHD_Response *resp;
    uint64_t used;
} kept[KEPT_SLOTS];
static size_t kept_bytes;
static uint64_t kept_clock;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static void drop(struct kept *e)
{
    MHD_destroy_response(e->resp);
    free(e->key);
    kept_bytes -= e->size;
    memset(e, 0, sizeof(*e));
}

int rf_kept_send(struct rf_req *r, const char *key, int64_t version, enum MHD_Result *ret)
{
    uint64_t h = rf_hash_text(key);

    if (version < 0)
        return 0;
    pthread_mutex_lock(&kept_lock);
    for (int i = 0; i < KEPT_SLOTS; i++) {
        struct kept *e = &kept[i];
        if (!e->resp || e->hash != h || strcmp(e->key, key) != 0)
            continue;
        if (e->version != version) {
            drop(e); /* built from data that has changed since: never sent again */
            break;
        }
        e->used = ++kept_clock;
        r->status = MHD_HTTP_OK;
        /* libmicrohttpd counts its references to a queued answer: queued under the lock,
           the answer cannot be dropped by another thread before it is counted */
        *ret = MHD_queue_response(r->conn, MHD_HTTP_OK, e->resp);
        pthread_mutex_unlock(&kept_lock);
        return 1;
    }
    pthread_mutex_unlock(&kept_lock);
    return 0;
}

/* Keep 'resp' of 'size' bytes for 'key' at 'version', dropping the least used beyond the budget. */
static void keep(const char *key, int64_t version, struct MHD_Response *resp, size_t size)
{
    uint64_t h = rf_hash_text(key);
    struct kept *slot = NULL;

    pthread_mutex_lock(&kept_lock);
    for (int i = 0; i < KEPT_SLOTS; i++) { /* the same key: the newer answer wins */
        struct kept *e = &kept[i];
        if (e->resp && e->hash == h && strcmp(e->key, key) == 0) {
            if (e->version > version) {
                pthread_mutex_unlock(&kept_lock);
                MHD_destroy_response(resp);
                return;
            }
            drop(e);
        }
    }
    for (;;) {
        struct kept *oldest = NULL;
        int full = kept_bytes + size > KEPT_BUDGET;
        for (int i = 0; i < KEPT_SLOTS; i++) {
            struct kept *e = &kept[i];
            if (!e->resp && !full) {
                slot = e;
                break;
            }
            if (e->resp && (!oldest || e->used < oldest->used))
                oldest = e;
        }
        if (slot || !oldest)
            break;
        drop(oldest);
    }
    if (!slot) { /* larger than the whole budget */
        pthread_mutex_unlock(&kept_lock);
        MHD_destroy_response(resp);
        return;
    }
    slot->hash = h;
    slot->key = strdup(key);
    slot->version = version;
    slot->size = size;
    slot->resp = resp;
    slot->used = ++kept_clock;
    kept_bytes += size;
    if (!slot->key)
        drop(slot);
    pthread_mutex_unlock(&kept_lock);
}

enum MHD_Result rf_kept_reply_take(struct rf_req *r, const char *key, int64_t version,
                                   struct rf_buf *body)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    size_t len = 0;
    char *data = rf_buf_detach(body, &len);

    resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    rf_reply_headers(r, resp);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    r->status = MHD_HTTP_OK;
    ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
    if (version >= 0 && key)
        keep(key, version, resp, len);
    else
        MHD_destroy_response(resp);
    return ret;
}

void rf_kept_clear(void)
{
    pthread_mutex_lock(&kept_lock);
    for (int i = 0; i < KEPT_SLOTS; i++)
        if (kept[i].resp)
            drop(&kept[i]);
    pthread_mutex_unlock(&kept_lock);
}
