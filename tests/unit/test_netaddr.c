/*
 * Unit tests of src/common/netaddr: address ranges and the client address
 * behind trusted proxies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/common/netaddr.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *list;
    int n; /* ranges parsed, or -1 for RF_EINVAL */
} parse_cases[] = {
    {"10.0.0.0/8", 1},                       /* the usual private range */
    {"127.0.0.1", 1},                        /* one address is a /32 */
    {"10.0.0.0/8,192.168.0.0/16", 2},        /* a comma list */
    {"10.0.0.0/8, 192.168.0.0/16", 2},       /* spaces after commas, as people write */
    {"::1", 1},                              /* IPv6 */
    {"fd00::/8", 1},                         /* an IPv6 range */
    {"0.0.0.0/0", 1},                        /* everything (an operator's choice) */
    {"10.0.0.0/33", -1},                     /* over 32 bits for IPv4 */
    {"fd00::/129", -1},                      /* over 128 bits for IPv6 */
    {"10.0.0.0/", -1},                       /* no prefix length */
    {"10.0.0.0/-1", -1},                     /* a negative prefix length */
    {"10.0.0.0/8x", -1},                     /* trailing garbage */
    {"proxy.example", -1},                   /* names are not resolved */
    {"", -1},                                /* nothing */
    {"10.0.0.0/8,,", -1},                    /* an empty entry */
    {"1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4", -1}, /* more than the room given (3) */
};

static void test_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(parse_cases); i++) {
        struct rf_cidr c[3];
        struct rf_error err;
        int n = 0, rc;

        print_message("case %zu: '%s'\n", i, parse_cases[i].list);
        rf_error_init(&err);
        rc = rf_cidr_parse_list(parse_cases[i].list, c, 3, &n, "trusted_proxy", &err);
        if (parse_cases[i].n < 0) {
            assert_int_equal(rc, RF_EINVAL);
            assert_string_equal(err.item[0].field, "trusted_proxy");
        } else {
            assert_int_equal(rc, RF_OK);
            assert_int_equal(n, parse_cases[i].n);
        }
    }
}

static const struct {
    const char *list, *addr;
    int in;
} contains_cases[] = {
    {"10.0.0.0/8", "10.1.2.3", 1},        /* inside */
    {"10.0.0.0/8", "11.0.0.1", 0},        /* outside */
    {"10.0.0.0/9", "10.127.0.1", 1},      /* a prefix that is not whole bytes: inside */
    {"10.0.0.0/9", "10.128.0.1", 0},      /* ... and just outside */
    {"127.0.0.1", "127.0.0.1", 1},        /* one address */
    {"127.0.0.1", "127.0.0.2", 0},        /* its neighbour */
    {"::1", "::1", 1},                    /* IPv6 loopback */
    {"::1", "127.0.0.1", 0},              /* not the IPv4 loopback */
    {"fd00::/8", "fd12:3456::1", 1},      /* an IPv6 range */
    {"10.0.0.0/8", "::ffff:10.0.0.1", 1}, /* IPv4-mapped IPv6 is the IPv4 address */
    {"10.0.0.0/8", "garbage", 0},         /* no address is in no range */
    {"0.0.0.0/0", "203.0.113.9", 1},      /* every IPv4 address */
    {"0.0.0.0/0", "2001:db8::1", 0},      /* but no IPv6 one */
};

static void test_contains(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(contains_cases); i++) {
        struct rf_cidr c[4];
        int n = 0;

        print_message("case %zu: %s in %s\n", i, contains_cases[i].addr, contains_cases[i].list);
        assert_int_equal(rf_cidr_parse_list(contains_cases[i].list, c, 4, &n, "x", NULL), RF_OK);
        assert_int_equal(rf_cidr_contains(c, n, contains_cases[i].addr), contains_cases[i].in);
    }
}

static const struct {
    const char *trusted; /* NULL: no trusted proxy */
    const char *peer, *xff, *client;
} client_cases[] = {
    /* no trusted proxy: the header is anyone's writing and never read */
    {NULL, "203.0.113.9", "198.51.100.1", "203.0.113.9"},
    /* a peer that is not a trusted proxy cannot choose its address */
    {"10.0.0.0/8", "203.0.113.9", "198.51.100.1", "203.0.113.9"},
    /* the trusted proxy's entry names the client */
    {"10.0.0.0/8", "10.0.0.2", "198.51.100.1", "198.51.100.1"},
    /* the client wrote its own entry first: the proxy's (rightmost) one wins */
    {"10.0.0.0/8", "10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
    /* two trusted proxies in a row: skip the inner one */
    {"10.0.0.0/8", "10.0.0.2", "198.51.100.1, 10.0.0.7", "198.51.100.1"},
    /* every entry trusted: the leftmost is the best known */
    {"10.0.0.0/8", "10.0.0.2", "10.0.0.9, 10.0.0.7", "10.0.0.9"},
    /* a trusted proxy that sent no header: the proxy itself */
    {"10.0.0.0/8", "10.0.0.2", NULL, "10.0.0.2"},
    /* garbage on the right: the walk stops at the last good address (the proxy) */
    {"10.0.0.0/8", "10.0.0.2", "198.51.100.1, nonsense", "10.0.0.2"},
    /* garbage the client wrote on the left is never reached */
    {"10.0.0.0/8", "10.0.0.2", "<script>, 198.51.100.1", "198.51.100.1"},
    /* several headers joined by ',' in order, with spaces and tabs */
    {"10.0.0.0/8", "10.0.0.2", "1.2.3.4,\t198.51.100.1 ", "198.51.100.1"},
    /* IPv6 clients */
    {"127.0.0.1", "127.0.0.1", "2001:db8::7", "2001:db8::7"},
    /* an empty header */
    {"127.0.0.1", "127.0.0.1", "", "127.0.0.1"},
};

static void test_client(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(client_cases); i++) {
        struct rf_cidr c[4];
        char out[RF_ADDR_TEXT];
        int n = 0;

        print_message("case %zu: peer %s xff '%s'\n", i, client_cases[i].peer,
                      client_cases[i].xff ? client_cases[i].xff : "(none)");
        if (client_cases[i].trusted)
            assert_int_equal(rf_cidr_parse_list(client_cases[i].trusted, c, 4, &n, "x", NULL),
                             RF_OK);
        rf_client_address(client_cases[i].peer, client_cases[i].xff, c, n, out);
        assert_string_equal(out, client_cases[i].client);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_contains),
        cmocka_unit_test(test_client),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
