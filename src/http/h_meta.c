/*
 * Health and self-description: /healthz for load balancers and the OpenAPI
 * document compiled into the binary from docs/openapi.yaml.
 */
#include "http.h"

extern const char rf_openapi_json[];
extern const unsigned rf_openapi_json_len;

enum MHD_Result rf_h_healthz(struct rf_req *r)
{
    struct rf_buf b = RF_BUF_INIT;
    int schema;
    int ok = rf_app_health(r->app, &schema) == RF_OK;

    rf_buf_adds(&b, ok ? "{\"status\":\"ok\",\"db\":" : "{\"status\":\"unavailable\",\"db\":");
    rf_buf_add_json_str(&b, rf_app_backend(r->app));
    rf_buf_adds(&b, ",\"schema\":");
    rf_buf_addi(&b, schema);
    rf_buf_addc(&b, '}');
    return rf_reply_json_take(r, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, &b);
}

enum MHD_Result rf_h_openapi(struct rf_req *r)
{
    struct rf_buf b = RF_BUF_INIT;

    rf_buf_add(&b, rf_openapi_json, rf_openapi_json_len);
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}
