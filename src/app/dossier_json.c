/*
 * A dossier as JSON, as its officers see it and as the citizen's lookup
 * shows it, and the instants and local times in it: one writer for the
 * receipt's answer, the moves' and every read.
 */
#include "app_int.h"

#include <string.h>

void rf_app_json_instant(struct rf_buf *out, const char *key, int64_t t)
{
    rf_buf_adds(out, ",\"");
    rf_buf_adds(out, key);
    rf_buf_adds(out, "\":");
    if (t) {
        char at[21];
        rf_instant_format(t, at);
        rf_buf_add_json_str(out, at);
    } else {
        rf_buf_adds(out, "null");
    }
}

void rf_app_json_local_time(struct rf_buf *out, const char *key, int64_t t)
{
    char text[17];

    rf_buf_adds(out, ",\"");
    rf_buf_adds(out, key);
    rf_buf_adds(out, "\":");
    if (!t) { /* a dossier never received has no due time */
        rf_buf_adds(out, "null");
        return;
    }
    rf_worktime_format(rf_worktime_local(t), text);
    rf_buf_add_json_str(out, text);
}

/* The dossier as its officers see it; with 'personal' the applicant's data too. */
void rf_app_dossier_write_json(const struct rf_dossier *d, const struct rf_procedure *p,
                               int personal, struct rf_buf *out)
{
    rf_buf_adds(out, "{\"code\":");
    rf_buf_add_json_str(out, d->code);
    rf_buf_adds(out, ",\"procedure\":{\"id\":");
    rf_buf_addi(out, p->id);
    rf_buf_adds(out, ",\"code\":");
    rf_buf_add_json_str(out, p->code);
    rf_buf_adds(out, ",\"name\":");
    rf_buf_add_json_str(out, p->name);
    rf_buf_adds(out, ",\"field\":");
    rf_buf_add_json_str(out, p->field);
    rf_buf_adds(out, ",\"level\":");
    rf_buf_add_json_str(out, p->level);
    rf_buf_adds(out, "},\"state\":");
    rf_buf_add_json_str(out, rf_dossier_state_name(d->state));
    rf_buf_adds(out, ",\"step\":");
    if (d->step >= 0 && d->step < p->nsteps) {
        rf_buf_adds(out, "{\"index\":");
        rf_buf_addi(out, d->step);
        rf_buf_adds(out, ",\"name\":");
        rf_buf_add_json_str(out, p->steps[d->step].name);
        rf_buf_adds(out, ",\"unit_id\":");
        rf_buf_addi(out, d->step_unit_id);
        rf_buf_addc(out, '}');
    } else {
        rf_buf_adds(out, "null");
    }
    rf_app_json_instant(out, "received_at", d->received_at);
    rf_app_json_instant(out, "due_at", d->due_at);
    rf_app_json_local_time(out, "due_local", d->due_at);
    rf_app_json_instant(out, "appointment_at", d->appointment_at);
    rf_app_json_local_time(out, "appointment_local", d->appointment_at);
    rf_app_json_instant(out, "result_at", d->result_at);
    rf_app_json_instant(out, "finished_at", d->finished_at);
    rf_buf_adds(out, ",\"timeliness\":");
    if (d->timeliness[0])
        rf_buf_add_json_str(out, d->timeliness);
    else
        rf_buf_adds(out, "null");
    rf_buf_adds(out, ",\"apologies\":");
    rf_buf_addi(out, d->apologies);
    if (personal) {
        rf_buf_adds(out, ",\"desk_unit_id\":");
        rf_buf_addi(out, d->desk_unit_id);
        rf_buf_adds(out, ",\"channel\":");
        rf_buf_add_json_str(out, d->channel);
        rf_buf_adds(out, ",\"applicant\":{\"name\":");
        rf_buf_add_json_str(out, d->applicant_name);
        rf_buf_adds(out, ",\"phone\":");
        rf_buf_add_json_str(out, d->applicant_phone);
        rf_buf_adds(out, ",\"address\":");
        rf_buf_add_json_str(out, d->applicant_address);
        rf_buf_adds(out, "},\"version\":");
        rf_buf_addi(out, d->version);
    }
    rf_buf_addc(out, '}');
}
