/*
 * Text rules for names people type: valid UTF-8 in NFC, and a folded form
 * (case folded, diacritics removed, "đ" read as "d") so that a search for
 * "ha tinh" finds "Hà Tĩnh".
 */
#ifndef RF_TEXT_H
#define RF_TEXT_H

#include <stddef.h>

#include "../common/err.h"

/*
 * Normalise 's' to NFC into a malloc'd string at '*out' (caller frees).
 * Returns RF_EINVAL when 's' is not valid UTF-8 or holds control characters.
 */
int rf_text_nfc(const char *s, char **out) RF_MUST_CHECK;

/* Folded search key of 's' in a malloc'd string at '*out'; RF_EINVAL as above. */
int rf_text_fold(const char *s, char **out) RF_MUST_CHECK;

/* Number of code points in valid UTF-8 's'. */
size_t rf_text_length(const char *s);

#endif
