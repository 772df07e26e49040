/*
 * The secrets kept outside the database, each a file of hex digits in the
 * keys folder (docs/operations.md): audit.key, the MAC key of the audit
 * chain, and anchor.key with anchor.pub, the Ed25519 pair that signs the
 * chain's checkpoints. A missing key is made from the system's random
 * source, readable by its owner only, and published whole or not at all:
 * written under another name, then linked into place, so that two processes
 * starting at once end up with one key between them.
 */
#include "app_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_KEY_BYTES 64

static int path_of(const char *dir, const char *name, char *out, size_t size, struct rf_error *err)
{
    if ((size_t)snprintf(out, size, "%s/%s", dir, name) >= size)
        return rf_error_set(err, RF_EINVAL, "keys", "too_long",
                            "the keys folder's name is too long");
    return RF_OK;
}

/* Read 'n' bytes written as hex in 'path'; RF_ENOTFOUND when there is no such file. */
static int read_hex(const char *path, unsigned char *out, size_t n, struct rf_error *err)
{
    char text[2 * MAX_KEY_BYTES + 8];
    size_t len = 0, got = 0;
    ssize_t r;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 && errno == ENOENT)
        return RF_ENOTFOUND;
    if (fd < 0)
        return rf_error_set(err, RF_EIO, "keys", "read", "cannot read %s: %s", path,
                            strerror(errno));
    while (len < sizeof(text) && (r = read(fd, text + len, sizeof(text) - len)) > 0)
        len += (size_t)r;
    close(fd);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    if (len != 2 * n || sodium_hex2bin(out, n, text, len, NULL, &got, NULL) != 0 || got != n) {
        sodium_memzero(text, sizeof(text));
        return rf_error_set(err, RF_EINVAL, "keys", "format",
                            "%s is not a key: expected %zu hex digits", path, 2 * n);
    }
    sodium_memzero(text, sizeof(text));
    return RF_OK;
}

/*
 * Publish 'n' bytes as hex at 'path' unless a file is there already (then
 * RF_ECONFLICT): written and flushed under a temporary name first.
 */
static int write_new(const char *path, const unsigned char *key, size_t n, mode_t mode,
                     struct rf_error *err)
{
    char tmp[4200], text[2 * MAX_KEY_BYTES + 2];
    int fd, rc = RF_OK;
    size_t len;

    snprintf(tmp, sizeof(tmp), "%s.%ld.new", path, (long)getpid());
    sodium_bin2hex(text, sizeof(text) - 1, key, n);
    len = strlen(text);
    text[len++] = '\n';
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return rf_error_set(err, RF_EIO, "keys", "write", "cannot write %s: %s", tmp,
                            strerror(errno));
    if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0)
        rc =
            rf_error_set(err, RF_EIO, "keys", "write", "cannot write %s: %s", tmp, strerror(errno));
    close(fd);
    sodium_memzero(text, sizeof(text));
    if (rc == RF_OK && link(tmp, path) != 0)
        rc = errno == EEXIST ? RF_ECONFLICT
                             : rf_error_set(err, RF_EIO, "keys", "write", "cannot write %s: %s",
                                            path, strerror(errno));
    unlink(tmp);
    return rc;
}

static int make_dir(const char *dir, struct rf_error *err)
{
    char path[4096];

    if ((size_t)snprintf(path, sizeof(path), "%s", dir) >= sizeof(path))
        return rf_error_set(err, RF_EINVAL, "keys", "too_long",
                            "the keys folder's name is too long");
    /* each missing parent too, as mkdir -p */
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return rf_error_set(err, RF_EIO, "keys", "mkdir", "cannot create %s: %s", path,
                                strerror(errno));
        *p = '/';
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return rf_error_set(err, RF_EIO, "keys", "mkdir", "cannot create %s: %s", path,
                            strerror(errno));
    return RF_OK;
}

int rf_app_audit_key_load(const char *dir, unsigned char key[RF_AUDIT_KEY_BYTES], int create,
                          int *created, struct rf_error *err)
{
    char path[4200];
    int rc = path_of(dir, "audit.key", path, sizeof(path), err);

    *created = 0;
    if (rc == RF_OK)
        rc = read_hex(path, key, RF_AUDIT_KEY_BYTES, err);
    if (rc != RF_ENOTFOUND)
        return rc;
    if (!create)
        return rf_error_set(err, RF_ENOTFOUND, "keys", "missing",
                            "no audit key at %s: the chain cannot be checked without it", path);
    rc = make_dir(dir, err);
    if (rc != RF_OK)
        return rc;
    randombytes_buf(key, RF_AUDIT_KEY_BYTES);
    rc = write_new(path, key, RF_AUDIT_KEY_BYTES, 0600, err);
    if (rc == RF_OK)
        *created = 1;
    else if (rc == RF_ECONFLICT) /* another process made it first: theirs it is */
        rc = read_hex(path, key, RF_AUDIT_KEY_BYTES, err);
    return rc;
}

int rf_app_anchor_keys_load(const char *dir, unsigned char *secret, unsigned char *public,
                            int create, int *created, struct rf_error *err)
{
    char spath[4200], ppath[4200];
    unsigned char pk[RF_ANCHOR_PUBLIC_BYTES], sk[RF_ANCHOR_SECRET_BYTES];
    int rc = path_of(dir, "anchor.key", spath, sizeof(spath), err);

    *created = 0;
    if (rc == RF_OK)
        rc = path_of(dir, "anchor.pub", ppath, sizeof(ppath), err);
    if (rc != RF_OK)
        return rc;
    if (!secret) { /* checking only: the public key is enough */
        rc = read_hex(ppath, public, RF_ANCHOR_PUBLIC_BYTES, err);
        if (rc == RF_ENOTFOUND)
            rc = rf_error_set(err, RF_ENOTFOUND, "keys", "missing", "no checkpoint key at %s",
                              ppath);
        return rc;
    }
    rc = read_hex(spath, secret, RF_ANCHOR_SECRET_BYTES, err);
    if (rc == RF_ENOTFOUND && create) {
        rc = make_dir(dir, err);
        if (rc != RF_OK)
            return rc;
        crypto_sign_keypair(pk, sk);
        /* the public half first: a secret key is never published without it */
        rc = write_new(ppath, pk, sizeof(pk), 0644, err);
        if (rc == RF_OK)
            rc = write_new(spath, sk, sizeof(sk), 0600, err);
        sodium_memzero(sk, sizeof(sk));
        if (rc == RF_ECONFLICT)
            return rf_error_set(err, RF_ECONFLICT, "keys", "exists",
                                "%s or %s exists without the other: restore the pair", spath,
                                ppath);
        if (rc != RF_OK)
            return rc;
        *created = 1;
        rc = read_hex(spath, secret, RF_ANCHOR_SECRET_BYTES, err);
    } else if (rc == RF_ENOTFOUND) {
        return rf_error_set(err, RF_ENOTFOUND, "keys", "missing", "no checkpoint key at %s", spath);
    }
    if (rc == RF_OK)
        crypto_sign_ed25519_sk_to_pk(public, secret);
    return rc;
}
