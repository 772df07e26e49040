/*
 * Connections per client address, and the deadline of a connection's first
 * request head. libmicrohttpd bounds connections in all and times out idle
 * ones, but one client holding thousands of half-sent requests, or sending
 * its head a byte every few seconds, would hold the server's slots: so a
 * peer address may hold at most 'per_address' connections at once (trusted
 * proxies excepted: they carry many clients and bound them themselves), and
 * a connection that has not sent a whole request head within
 * 'head_seconds' of its opening is shut down. The table holds an entry per
 * address only while that address has connections, so nothing can be pushed
 * out of it.
 */
#include "http.h"
#include "server_int.h"
#include "../common/log.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUCKETS 4096

struct peer {
    struct peer *next;
    unsigned char addr[16]; /* IPv4 as IPv4-mapped IPv6 */
    int conns;
};

/* One connection, from its opening to its closing (MHD's socket context). */
struct conn {
    struct conn *prev, *next; /* connections whose first head is still awaited */
    struct peer *peer;        /* NULL for a trusted proxy */
    MHD_socket fd;
    time_t opened;
    int waiting; /* on the 'pending' list */
};

struct rf_conns {
    pthread_mutex_t lock;
    struct peer *buckets[BUCKETS];
    struct conn pending; /* list head: the oldest first */
    int per_address;
    int head_seconds;
    const struct rf_cidr *trusted;
    int ntrusted;
    pthread_t reaper;
    pthread_cond_t stop_cond;
    int stop;
    unsigned long refused; /* connections refused for their address, for the log */
};

static void addr16(const struct sockaddr *sa, unsigned char out[16])
{
    memset(out, 0, 16);
    if (sa && sa->sa_family == AF_INET) {
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    } else if (sa && sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    }
}

static int trusted_peer(const struct rf_conns *c, const struct sockaddr *sa)
{
    char text[RF_ADDR_TEXT] = "";

    if (c->ntrusted == 0 || !sa)
        return 0;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, sizeof(text));
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text, sizeof(text));
    return rf_cidr_contains(c->trusted, c->ntrusted, text);
}

static unsigned bucket_of(const unsigned char a[16])
{
    uint32_t h = 2166136261u; /* FNV-1a: chains, not slots, so a collision costs only time */

    for (int i = 0; i < 16; i++)
        h = (h ^ a[i]) * 16777619u;
    return h % BUCKETS;
}

/* The entry of 'a' (c->lock held), made when 'make'. */
static struct peer *peer_of(struct rf_conns *c, const unsigned char a[16], int make)
{
    unsigned b = bucket_of(a);
    struct peer *p;

    for (p = c->buckets[b]; p; p = p->next)
        if (memcmp(p->addr, a, 16) == 0)
            return p;
    if (!make)
        return NULL;
    p = rf_xcalloc(1, sizeof(*p));
    memcpy(p->addr, a, 16);
    p->next = c->buckets[b];
    c->buckets[b] = p;
    return p;
}

static void peer_drop(struct rf_conns *c, struct peer *gone)
{
    struct peer **pp = &c->buckets[bucket_of(gone->addr)];

    while (*pp && *pp != gone)
        pp = &(*pp)->next;
    if (*pp)
        *pp = gone->next;
    free(gone);
}

/* Append 'x' to the connections awaiting their head: the list stays in order, the oldest first. */
static void enlist(struct rf_conns *c, struct conn *x)
{
    x->prev = c->pending.prev;
    x->next = &c->pending;
    c->pending.prev->next = x;
    c->pending.prev = x;
    __atomic_store_n(&x->waiting, 1, __ATOMIC_RELAXED);
}

static void unlist(struct conn *x)
{
    if (!x->waiting)
        return;
    x->prev->next = x->next;
    x->next->prev = x->prev;
    __atomic_store_n(&x->waiting, 0, __ATOMIC_RELAXED);
}

enum MHD_Result rf_conns_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    struct rf_conns *c = cls;
    unsigned char a[16];
    struct peer *p;
    int full;

    (void)addrlen;
    if (trusted_peer(c, addr))
        return MHD_YES;
    addr16(addr, a);
    pthread_mutex_lock(&c->lock);
    p = peer_of(c, a, 0);
    full = p && p->conns >= c->per_address;
    if (full && (c->refused++ % 1000) == 0)
        rf_log_warn("refusing connections over %d from one address (%lu so far)", c->per_address,
                    c->refused);
    pthread_mutex_unlock(&c->lock);
    return full ? MHD_NO : MHD_YES;
}

void rf_conns_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode code)
{
    struct rf_conns *c = cls;
    struct conn *x;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        const union MHD_ConnectionInfo *fi =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        const struct sockaddr *sa = ci ? ci->client_addr : NULL;
        unsigned char a[16];

        x = rf_xcalloc(1, sizeof(*x));
        x->fd = fi ? fi->connect_fd : MHD_INVALID_SOCKET;
        x->opened = time(NULL);
        addr16(sa, a);
        pthread_mutex_lock(&c->lock);
        if (!trusted_peer(c, sa)) {
            x->peer = peer_of(c, a, 1);
            x->peer->conns++;
        }
        enlist(c, x);
        pthread_mutex_unlock(&c->lock);
        *socket_context = x;
        return;
    }
    x = *socket_context;
    if (!x)
        return;
    pthread_mutex_lock(&c->lock);
    unlist(x);
    if (x->peer && --x->peer->conns == 0)
        peer_drop(c, x->peer);
    pthread_mutex_unlock(&c->lock);
    free(x);
    *socket_context = NULL;
}

void rf_conns_head_done(struct rf_conns *c, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *si =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct conn *x = si ? si->socket_context : NULL;

    /* the common case, every later request of a connection, takes no lock */
    if (!x || !__atomic_load_n(&x->waiting, __ATOMIC_RELAXED))
        return;
    pthread_mutex_lock(&c->lock);
    unlist(x);
    pthread_mutex_unlock(&c->lock);
}

/*
 * Whether the end of a request head waits in the socket, unread: the client
 * sent its head in time, and the server's own threads, busy with other
 * requests, have not read it yet. The head's end is a blank line, within
 * what waits or right at its start (the line before it already read).
 */
static int head_waiting(MHD_socket fd)
{
    static char buf[32 * 1024]; /* the reaper's alone; a head is no longer (MHD's buffer) */
    ssize_t n = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);

    if (n <= 0)
        return 0;
    return buf[0] == '\n' || (n > 1 && buf[0] == '\r' && buf[1] == '\n') ||
           memmem(buf, (size_t)n, "\r\n\r\n", 4) || memmem(buf, (size_t)n, "\n\n", 2);
}

/*
 * Shut down the connections whose first head is overdue, unless the head
 * has arrived and waits for a busy thread to read it: that connection waits
 * on, checked again a deadline later. The socket is only shut down, never
 * closed, and under the lock that its closing takes first: libmicrohttpd
 * then reads the end of the stream and closes it as usual.
 */
static void *reap(void *arg)
{
    struct rf_conns *c = arg;

    pthread_mutex_lock(&c->lock);
    while (!c->stop) {
        struct timespec ts;
        time_t now = time(NULL);

        while (c->pending.next != &c->pending && now - c->pending.next->opened >= c->head_seconds) {
            struct conn *x = c->pending.next;
            unlist(x);
            if (x->fd != MHD_INVALID_SOCKET && head_waiting(x->fd)) {
                x->opened = now; /* to the end of the list, the oldest first still */
                enlist(c, x);
            } else if (x->fd != MHD_INVALID_SOCKET) {
                shutdown(x->fd, SHUT_RDWR);
            }
        }
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&c->stop_cond, &c->lock, &ts);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

struct rf_conns *rf_conns_new(int per_address, int head_seconds, const struct rf_cidr *trusted,
                              int ntrusted)
{
    struct rf_conns *c = rf_xcalloc(1, sizeof(*c));

    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->stop_cond, NULL);
    c->pending.prev = c->pending.next = &c->pending;
    c->per_address = per_address;
    c->head_seconds = head_seconds;
    c->trusted = trusted;
    c->ntrusted = ntrusted;
    if (pthread_create(&c->reaper, NULL, reap, c) != 0) {
        rf_log_error("cannot start the thread that ends slow connections");
        abort();
    }
    return c;
}

void rf_conns_free(struct rf_conns **cp)
{
    struct rf_conns *c = cp ? *cp : NULL;

    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->stop = 1;
    pthread_cond_signal(&c->stop_cond);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->reaper, NULL);
    for (int b = 0; b < BUCKETS; b++)
        while (c->buckets[b])
            peer_drop(c, c->buckets[b]);
    pthread_cond_destroy(&c->stop_cond);
    pthread_mutex_destroy(&c->lock);
    free(c);
    *cp = NULL;
}
