/*
 * Unit tests of src/core/text: NFC normalisation, the folded search key and
 * the length of a name in code points.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../src/core/text.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* "Ha Tinh" with its Vietnamese marks, precomposed (NFC) and decomposed (NFD) */
#define HA_TINH_NFC "H\xc3\xa0 T\xc4\xa9nh"
#define HA_TINH_NFD "Ha\xcc\x80 Ti\xcc\x83nh"

/* Inputs that are no text: each must be refused by both nfc and fold. */
static const char *const invalid_cases[] = {
    "\xc3",             /* RFC 3629: a lead byte without its continuation */
    "abc\xff",          /* RFC 3629: 0xFF never appears in UTF-8 */
    "\200abc",          /* RFC 3629: a continuation byte without a lead byte */
    "\xc0\xaf",         /* RFC 3629: overlong "/" must be refused */
    "\xed\xa0\x80",     /* RFC 3629: UTF-16 surrogates are not characters */
    "\xf4\x90\x80\x80", /* RFC 3629: beyond U+10FFFF */
    "Ha\tTinh",         /* text.h: no control characters (C0 TAB) in a name */
    "Ha\nTinh",         /* text.h: no line breaks in a name */
    "\x1b[31mHa",       /* text.h: ESC would let a name drive a terminal */
    "Ha\x7f",           /* text.h: DEL is a control character (Unicode Cc) */
    "Ha\302\205b",      /* Unicode Cc includes C1 controls: U+0085 NEXT LINE */
    "Ha\302\23331m",    /* Unicode Cc: U+009B CONTROL SEQUENCE INTRODUCER */
};

static void test_invalid_refused(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(invalid_cases); i++) {
        char *out = NULL;

        print_message("case %zu\n", i);
        assert_int_equal(rf_text_nfc(invalid_cases[i], &out), RF_EINVAL);
        assert_null(out);
        assert_int_equal(rf_text_fold(invalid_cases[i], &out), RF_EINVAL);
        assert_null(out);
    }
}

static const struct {
    const char *in, *nfc;
} nfc_cases[] = {
    {HA_TINH_NFD, HA_TINH_NFC}, /* UAX #15: canonical composition of base + mark */
    {HA_TINH_NFC, HA_TINH_NFC}, /* UAX #15: NFC is idempotent */
    /* "e" with dot below then circumflex composes to U+1EC7 (UAX #15) */
    {"e\xcc\xa3\xcc\x82", "\xe1\xbb\x87"},
    /* the same marks in the other order: canonical ordering by combining class (UAX #15) */
    {"e\xcc\x82\xcc\xa3", "\xe1\xbb\x87"},
    /* NFC, not NFKC: a fullwidth A stays what the person typed (UAX #15) */
    {"\xef\xbc\xa1", "\xef\xbc\xa1"},
    {"", ""}, /* empty text is valid text */
};

static void test_nfc(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(nfc_cases); i++) {
        char *out = NULL;

        print_message("case %zu\n", i);
        assert_int_equal(rf_text_nfc(nfc_cases[i].in, &out), RF_OK);
        assert_non_null(out);
        assert_string_equal(out, nfc_cases[i].nfc);
        free(out);
    }
}

static const struct {
    const char *in, *folded;
} fold_cases[] = {
    {HA_TINH_NFC, "ha tinh"}, /* text.h: a search for "ha tinh" finds "Ha Tinh" */
    {HA_TINH_NFD, "ha tinh"}, /* the same key whichever normal form was typed */
    /* "Da Nang": capital D with stroke has no decomposition, text.h reads it as "d" */
    {"\xc4\x90\xc3\xa0 N\xe1\xba\xb5ng", "da nang"},
    /* "duong": small d with stroke, u and o with horn (Vietnamese alphabet) */
    {"\xc4\x91\xc6\xb0\xe1\xbb\x9dng", "duong"},
    /* "DONG THAP" in capitals: Unicode case folding then marks stripped */
    {"\xc4\x90\xe1\xbb\x92NG TH\xc3\x81P", "dong thap"},
    /* "Quang Tri": hook above and dot below */
    {"Qu\xe1\xba\xa3ng Tr\xe1\xbb\x8b", "quang tri"},
    /* "Thua Thien Hue": two marks on one vowel */
    {"Th\341\273\253a Thi\xc3\xaan Hu\xe1\xba\xbf", "thua thien hue"},
    {"\xc4\x90", "d"},  /* text.h: "D" with stroke is read as "d" */
    {"\xc4\x91", "d"},  /* text.h: "d" with stroke is read as "d" */
    {"SO-01", "so-01"}, /* ASCII is only case folded */
    {"", ""},           /* empty text folds to empty */
};

static void test_fold(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(fold_cases); i++) {
        char *out = NULL;

        print_message("case %zu: %s\n", i, fold_cases[i].folded);
        assert_int_equal(rf_text_fold(fold_cases[i].in, &out), RF_OK);
        assert_non_null(out);
        assert_string_equal(out, fold_cases[i].folded);
        free(out);
    }
}

static const struct {
    const char *s;
    size_t length;
} length_cases[] = {
    {"", 0},                 /* nothing */
    {"abc", 3},              /* ASCII: one byte, one code point */
    {HA_TINH_NFC, 7},        /* 9 bytes but 7 code points */
    {HA_TINH_NFD, 9},        /* combining marks are code points of their own (Unicode 3.6) */
    {"\xc4\x91", 1},         /* a two-byte letter is one */
    {"\xe1\xbb\x87", 1},     /* a three-byte letter is one */
    {"\xf0\x9d\x84\x9e", 1}, /* a four-byte code point (U+1D11E) is one */
};

static void test_length(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(length_cases); i++) {
        print_message("case %zu\n", i);
        assert_int_equal(rf_text_length(length_cases[i].s), length_cases[i].length);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_refused),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_length),
    };

    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
