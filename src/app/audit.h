/*
 * The audit chain: every change recorded, chained by keyed MACs, listed, verified and
 * anchored by signed checkpoints (audit.c).
 */
#ifndef RF_APP_AUDIT_H
#define RF_APP_AUDIT_H

#include "app.h"

struct rf_audit_filter {
    const char *entity;
    const char *entity_id;
    int64_t after_seq;
    int limit;
};

/* Audit records of the actor's province; admins and the secretariat only. */
int rf_app_audit_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_audit_filter *f, rf_audit_fn fn, void *ctx,
                      struct rf_error *err) RF_MUST_CHECK;

/* What rf_app_audit_verify found. */
#define RF_AUDIT_MAX_PROBLEMS 100
struct rf_audit_problem {
    int64_t province;
    int64_t seq;    /* the record, or 0 for the chain as a whole */
    char text[256]; /* "record 17 does not match its hash (altered)", ... */
};
struct rf_audit_report {
    int64_t records; /* records checked */
    int64_t provinces;
    int64_t unkeyed;  /* records written before the chain was keyed (plain hashes) */
    int64_t anchors;  /* checkpoints checked against the chains */
    int ok;           /* 1 when every chain holds */
    int64_t problems; /* found; the first RF_AUDIT_MAX_PROBLEMS are in 'problem' */
    struct rf_audit_problem problem[RF_AUDIT_MAX_PROBLEMS];
};

/* What to check the chains against besides themselves. */
struct rf_audit_checkpoints {
    const char *text;     /* checkpoint lines (rf_anchor_format), NULL for none */
    const char *keys_dir; /* its signer's public key is keys_dir/anchor.pub; NULL: the default */
};

/*
 * Check every province's chain from its first record to its head, each
 * record's MAC under the app's audit key, and every checkpoint in 'cp' (may
 * be NULL): each problem found is reported, not only the first. An app
 * opened for a province named (rf_app_config's province_code) checks that
 * province's chain and checkpoints alone: provinces that keep audit keys of
 * their own are checked one by one, each with its key. RF_ENOTFOUND when
 * checkpoints are given without their signer's public key.
 */
int rf_app_audit_verify(struct rf_app *app, const struct rf_audit_checkpoints *cp,
                        struct rf_audit_report *report, struct rf_error *err) RF_MUST_CHECK;

/*
 * A checkpoint of the head of the app's province's chain, signed with the
 * key pair in 'keys_dir' (made there on first use, '*created' 1), as the
 * line to keep ('line', RF_ANCHOR_LINE_MAX bytes).
 */
int rf_app_audit_anchor(struct rf_app *app, const char *keys_dir, struct rf_anchor *out, char *line,
                        int *created, struct rf_error *err) RF_MUST_CHECK;

#endif
