/*
 * Network addresses: CIDR ranges and the client address of a request that
 * may have come through trusted proxies (X-Forwarded-For). No domain
 * knowledge; IPv4 and IPv6.
 */
#ifndef RF_NETADDR_H
#define RF_NETADDR_H

#include <stddef.h>

#include "err.h"

#define RF_ADDR_TEXT 64 /* an address as text, with its NUL (INET6_ADDRSTRLEN is 46) */

/* A range of addresses: 'bits' leading bits of 'addr' (IPv4 kept as IPv4-mapped IPv6). */
struct rf_cidr {
    unsigned char addr[16];
    int bits; /* 0..128 */
};

/*
 * Parse "CIDR[,CIDR...]" (each "ADDR" or "ADDR/BITS", IPv4 or IPv6) into
 * 'out' (room for 'max'); '*n' is how many. RF_EINVAL naming 'field' for a
 * malformed range or more than 'max'.
 */
int rf_cidr_parse_list(const char *text, struct rf_cidr *out, int max, int *n, const char *field,
                       struct rf_error *err) RF_MUST_CHECK;

/* Whether the address 'text' lies in one of the 'n' ranges; 0 for text that is no address. */
int rf_cidr_contains(const struct rf_cidr *ranges, int n, const char *text);

/*
 * The client of a request from 'peer' that carried X-Forwarded-For 'xff'
 * (every such header joined by ',', or NULL): when the peer is a trusted
 * proxy, the rightmost address of 'xff' that is not itself trusted (the
 * leftmost when all are), so that no client can pass for another by
 * writing the header itself; otherwise the peer. A malformed entry stops
 * the walk at the last good address. Written to 'out' (RF_ADDR_TEXT bytes).
 */
void rf_client_address(const char *peer, const char *xff, const struct rf_cidr *trusted, int n,
                       char out[RF_ADDR_TEXT]);

#endif
