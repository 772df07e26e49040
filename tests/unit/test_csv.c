/*
 * Unit tests of src/common/csv: reading records of RFC 4180 text and writing
 * fields that read back as written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "../../src/common/csv.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define IN8 "x,x,x,x,x,x,x,x"
#define OUT8 "[x][x][x][x][x][x][x][x]"

/*
 * Each record read is shown as its line number and its fields in brackets,
 * records separated by a space; "!" marks a malformed record (rf_csv_next -1).
 */
static const struct {
    const char *text, *records;
} read_cases[] = {
    {"a,b,c\n", "1[a][b][c]"},                      /* RFC 4180 2.1, 2.4: comma-separated */
    {"a,b\r\nc,d\r\n", "1[a][b] 2[c][d]"},          /* RFC 4180 2.1: CRLF ends a record */
    {"a,b\nc,d", "1[a][b] 2[c][d]"},                /* RFC 4180 2.2: last line break optional */
    {"\"a,b\",c\n", "1[a,b][c]"},                   /* RFC 4180 2.6: comma inside quotes */
    {"\"say \"\"hi\"\"\",x\n", "1[say \"hi\"][x]"}, /* RFC 4180 2.7: "" is one quote */
    {"\"\",x\n", "1[][x]"},                         /* RFC 4180 2.5: a quoted empty field */
    {"a,\n", "1[a][]"},                             /* RFC 4180 ABNF: a field may be empty */
    {" a , b \n", "1[ a ][ b ]"},                   /* RFC 4180 2.4: spaces are part of a field */
    /* RFC 4180 2.6: line breaks inside quotes; the next record starts on line 3 */
    {"\"x\ny\",z\nnext\n", "1[x\ny][z] 3[next]"},
    {"\"x\r\ny\"\r\nn\r\n", "1[x\r\ny] 3[n]"}, /* the same with CRLF, kept inside the field */
    {"a\n\"1\n2\n3\",b\nc\n", "1[a] 2[1\n2\n3][b] 5[c]"}, /* line numbers keep counting */
    {"\357\273\277code,name\n", "1[code][name]"}, /* csv.h: spreadsheets write a UTF-8 BOM */
    {"\xef\xbb\xbf", ""},                         /* a BOM alone is an empty file */
    {"", ""},                                     /* no text, no record */
    {"H\xc3\xa0,1\n", "1[H\xc3\xa0][1]"},         /* UTF-8 bytes pass through unchanged */
    {"a\n\"open,b\n", "1[a] !"},                  /* csv.h: an unterminated quote is -1 */
    {"\"open", "!"},                              /* csv.h: unterminated at the very end */
    {"\"a\"b\n", "!"},                            /* RFC 4180 2.5: a quote ends the field */
    {IN8 "," IN8 "," IN8 "," IN8 "\n", "1" OUT8 OUT8 OUT8 OUT8}, /* RF_CSV_MAX_FIELDS = 32 */
    {IN8 "," IN8 "," IN8 "," IN8 ",x\n", "!"},                   /* csv.h: 33 fields is -1 */
};

static void test_read(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(read_cases); i++) {
        struct rf_csv c;
        struct rf_buf shown = RF_BUF_INIT;
        int rc;

        print_message("case %zu: %s\n", i, read_cases[i].records);
        rf_csv_init(&c, read_cases[i].text);
        while ((rc = rf_csv_next(&c)) == 1) {
            rf_buf_addf(&shown, "%s%d", shown.len ? " " : "", c.line);
            for (int f = 0; f < c.nfields; f++)
                rf_buf_addf(&shown, "[%s]", c.field[f]);
        }
        if (rc < 0)
            rf_buf_adds(&shown, shown.len ? " !" : "!");
        else
            assert_int_equal(rc, 0);
        assert_string_equal(rf_buf_str(&shown), read_cases[i].records);
        rf_buf_cleanup(&shown);
        rf_csv_cleanup(&c);
    }
}

static const struct {
    const char *field, *written;
} write_cases[] = {
    {"plain", "plain"},                                 /* RFC 4180 2.5: quotes are optional */
    {"a,b", "\"a,b\""},                                 /* RFC 4180 2.6: a comma needs quotes */
    {"say \"hi\"", "\"say \"\"hi\"\"\""},               /* RFC 4180 2.7: quotes doubled */
    {"\"", "\"\"\"\""},                                 /* RFC 4180 2.7: a lone quote */
    {"line\nbreak", "\"line\nbreak\""},                 /* RFC 4180 2.6: a line break */
    {"cr\r", "\"cr\r\""},                               /* RFC 4180 2.6: a carriage return */
    {" spaced ", " spaced "},                           /* RFC 4180 2.4: spaces are data */
    {"H\xc3\xa0 T\xc4\xa9nh", "H\xc3\xa0 T\xc4\xa9nh"}, /* UTF-8 needs no quoting */
    {"", ""},                                           /* an empty field */
    {NULL, ""},                                         /* a missing value is written empty */
    /* a byte-order mark starting a field is quoted: first in a file, the reader would skip it
       (found by fuzz_csv) */
    {"\xef\xbb\xbfx", "\"\xef\xbb\xbfx\""},
};

static void test_write_round_trip(void **state)
{
    struct rf_buf record = RF_BUF_INIT;
    struct rf_csv c;

    (void)state;
    for (size_t i = 0; i < COUNT(write_cases); i++) {
        struct rf_buf one = RF_BUF_INIT;

        print_message("case %zu: %s\n", i, write_cases[i].written);
        rf_csv_add_field(&one, write_cases[i].field);
        assert_string_equal(rf_buf_str(&one), write_cases[i].written);
        rf_buf_cleanup(&one);
        if (i)
            rf_buf_addc(&record, ',');
        rf_csv_add_field(&record, write_cases[i].field);
    }
    rf_buf_adds(&record, "\r\nlast\r\n");

    /* every field written reads back as itself, and the record after it too */
    rf_csv_init(&c, rf_buf_str(&record));
    assert_int_equal(rf_csv_next(&c), 1);
    assert_int_equal(c.nfields, (int)COUNT(write_cases));
    for (size_t i = 0; i < COUNT(write_cases); i++) {
        print_message("read back %zu\n", i);
        assert_string_equal(c.field[i], write_cases[i].field ? write_cases[i].field : "");
    }
    assert_int_equal(rf_csv_next(&c), 1);
    assert_int_equal(c.line, 3); /* the quoted line break moved it down a line */
    assert_int_equal(c.nfields, 1);
    assert_string_equal(c.field[0], "last");
    assert_int_equal(rf_csv_next(&c), 0);
    rf_csv_cleanup(&c);
    rf_buf_cleanup(&record);

    /* the same field first in a file reads back whole too */
    rf_csv_add_field(&record, "\xef\xbb\xbfx");
    rf_csv_init(&c, rf_buf_str(&record));
    assert_int_equal(rf_csv_next(&c), 1);
    assert_string_equal(c.field[0], "\xef\xbb\xbfx");
    rf_csv_cleanup(&c);
    rf_buf_cleanup(&record);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_write_round_trip),
    };

    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
