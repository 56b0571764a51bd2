//! The OpenAPI 3.1 document of `/api/v1`, written out by hand from the
//! routers so it states exactly what the server does.

use axum::Json;
use serde_json::{Value, json};

fn op(summary: &str, tag: &str) -> Value {
    json!({"summary": summary, "tags": [tag], "security": [{"bearer": []}],
        "responses": {"200": {"description": "OK"}, "401": {"$ref": "#/components/responses/Error"},
                      "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}})
}

fn id_param() -> Value {
    json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}])
}

/// The paths and methods of the API; a test checks each against the server.
pub fn paths() -> Vec<(&'static str, &'static [&'static str], &'static str)> {
    vec![
        ("/me", &["get"], "me"),
        ("/staff", &["get", "post"], "staff"),
        ("/staff/{id}", &["get", "patch"], "staff"),
        ("/roles", &["get", "post"], "roles"),
        ("/roles/{id}", &["get", "patch", "delete"], "roles"),
        ("/customers", &["get", "post"], "customers"),
        ("/customers/{id}", &["get", "patch", "delete"], "customers"),
        ("/customers/{id}/activity", &["get"], "customers"),
        ("/currencies", &["get"], "customers"),
        ("/customers/{id}/statement", &["get"], "statement"),
        ("/contacts", &["get", "post"], "contacts"),
        ("/contacts/{id}", &["get", "patch", "delete"], "contacts"),
        ("/contacts/{id}/make-primary", &["post"], "contacts"),
        ("/contacts/{id}/invite", &["post"], "contacts"),
        ("/notes", &["get", "post"], "notes"),
        ("/notes/{id}", &["get", "patch", "delete"], "notes"),
        ("/search", &["get"], "search"),
        ("/reminders", &["get", "post"], "reminders"),
        ("/reminders/{id}", &["get", "patch", "delete"], "reminders"),
        ("/vault", &["get", "post"], "vault"),
        ("/vault/{id}", &["get", "patch", "delete"], "vault"),
        ("/vault/{id}/reveal", &["post"], "vault"),
        ("/invoices", &["get", "post"], "invoices"),
        ("/invoices/{id}", &["get", "patch", "delete"], "invoices"),
        ("/invoices/{id}/issue", &["post"], "invoices"),
        ("/invoices/{id}/pdf", &["get"], "invoices"),
        ("/invoices/{id}/send", &["post"], "invoices"),
        ("/invoices/{id}/mark-sent", &["post"], "invoices"),
        ("/invoices/{id}/cancel", &["post"], "invoices"),
        ("/invoices/{id}/copy", &["post"], "invoices"),
        ("/invoices/{id}/stop-recurring", &["post"], "invoices"),
        ("/credit-notes", &["get", "post"], "credit-notes"),
        (
            "/credit-notes/{id}",
            &["get", "patch", "delete"],
            "credit-notes",
        ),
        ("/credit-notes/{id}/issue", &["post"], "credit-notes"),
        ("/credit-notes/{id}/apply", &["post"], "credit-notes"),
        ("/credit-notes/{id}/refund", &["post"], "credit-notes"),
        ("/credit-notes/{id}/void", &["post"], "credit-notes"),
        ("/credit-notes/{id}/pdf", &["get"], "credit-notes"),
        ("/credit-notes/{id}/send", &["post"], "credit-notes"),
        ("/credit-notes/{id}/mark-sent", &["post"], "credit-notes"),
        ("/tax-rates", &["get"], "billing"),
        ("/payment-modes", &["get"], "billing"),
        ("/settings/billing", &["get", "patch"], "billing"),
        ("/payments", &["get", "post"], "payments"),
        ("/payments/{id}", &["get", "patch", "delete"], "payments"),
        ("/payments/{id}/pdf", &["get"], "payments"),
        ("/files", &["get", "post"], "files"),
        ("/files/{id}", &["get", "patch", "delete"], "files"),
        ("/files/{id}/download", &["get"], "files"),
        ("/custom-fields", &["get", "post"], "custom-fields"),
        (
            "/custom-fields/{id}",
            &["get", "patch", "delete"],
            "custom-fields",
        ),
    ]
}

pub async fn document() -> Json<Value> {
    let mut paths = serde_json::Map::new();
    for (path, methods, tag) in self::paths() {
        let mut item = serde_json::Map::new();
        for m in methods {
            let mut o = op(&format!("{} {path}", m.to_uppercase()), tag);
            if path.contains("{id}") {
                o["parameters"] = id_param();
            }
            if path == "/files" && *m == "post" {
                o["requestBody"] = json!({"required": true, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["customer_id", "file"],
                    "properties": {"customer_id": {"type": "integer"}, "visible_to_customer": {"type": "boolean"},
                                   "file": {"type": "array", "items": {"type": "string", "format": "binary"}}}},
                    "encoding": {"file": {"contentType": "application/octet-stream"}}}}});
                o["description"] = json!(
                    "Send customer_id and visible_to_customer before the file parts. One file answers the file, several answer a list."
                );
            } else if matches!(*m, "post" | "patch")
                && ![
                    "make-primary",
                    "invite",
                    "issue",
                    "void",
                    "cancel",
                    "mark-sent",
                ]
                .iter()
                .any(|action| path.ends_with(action))
            {
                o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}});
            }
            item.insert(m.to_string(), o);
        }
        paths.insert(path.to_string(), Value::Object(item));
    }
    Json(json!({
        "openapi": "3.1.0",
        "info": {"title": "Kontor API", "version": env!("CARGO_PKG_VERSION")},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "Error", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"error": {"type": "object", "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}, "fields": {"type": "object"}}}}}}}}}
        }
    }))
}
